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
  /** The browser says it is online and the server answered the last attempt. */
  online: boolean;
  phase: 'idle' | 'syncing' | 'error';
  /** Live count of the outbox. */
  pendingCount: number;
  lastSyncAt: string | null;
  lastError: SyncErrorInWords | null;
  progress: SyncProgress | null;
}

export const initialSyncStatus: SyncStatus = {
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  phase: 'idle',
  pendingCount: 0,
  lastSyncAt: null,
  lastError: null,
  progress: null,
};

/** What the sync indicator shows. Written only by the sync service; read by the UI. */
export const syncStatusStore = createStore<SyncStatus>(() => initialSyncStatus);

export function useSyncStatus<T>(selector: (status: SyncStatus) => T): T {
  return useStore(syncStatusStore, selector);
}
