import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { SyncProgress } from './engine';
import type { SyncErrorKind } from './sync-error';

export interface SyncErrorInWords {
  kind: SyncErrorKind;
  message: string;
  nextStep: string;
}

export interface SyncStatus {
  /** The browser's own word: false means no network at all. */
  browserOnline: boolean;
  phase: 'idle' | 'syncing' | 'error';
  /** Live count of the outbox. */
  pendingCount: number;
  /** When the last round that finished without an error ended. */
  lastSyncAt: string | null;
  lastError: SyncErrorInWords | null;
  progress: SyncProgress | null;
  /** When the scheduler tries again after a failed round; null when nothing is planned. */
  retryAt: string | null;
}

export const initialSyncStatus: SyncStatus = {
  browserOnline: typeof navigator === 'undefined' ? true : navigator.onLine,
  phase: 'idle',
  pendingCount: 0,
  lastSyncAt: null,
  lastError: null,
  progress: null,
  retryAt: null,
};

/** What the sync indicator shows. Written only by the sync service; read by the UI. */
export const syncStatusStore = createStore<SyncStatus>(() => initialSyncStatus);

export function useSyncStatus<T>(selector: (status: SyncStatus) => T): T {
  return useStore(syncStatusStore, selector);
}

/**
 * A pull with more pages still to come in this round: a first sync, or a laptop back after days
 * away. The engine reports a pull's progress only while pages follow, so a round whose changes
 * fit on one page never counts.
 */
export function isDownloadingPages(status: SyncStatus): boolean {
  return status.phase === 'syncing' && status.progress?.step === 'pulling' && status.progress.received > 0;
}
