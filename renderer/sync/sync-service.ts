import { liveQuery } from 'dexie';
import { readMeta } from '../db/meta';
import type { ReclaimDatabase } from '../db/schema';
import { createApiClient } from './api-client';
import { createBlobApi } from './blob-api';
import { BlobQueue } from './blob-queue';
import { APP_PULL_LIMIT, SyncEngine } from './engine';
import { SyncScheduler } from './scheduler';
import { SyncError, toSyncError } from './sync-error';
import { syncStatusStore } from './sync-status';

export interface SyncService {
  syncNow(): Promise<void>;
  stop(): void;
}

export interface SyncServiceOptions {
  db: ReclaimDatabase;
  serverUrl: string;
  getToken: () => Promise<string | null>;
}

/**
 * Wires the platform-free engine to the browser: the scheduler's timers, online/offline
 * events, a live outbox count, and the status store the header reads.
 */
export function startSyncService({ db, serverUrl, getToken }: SyncServiceOptions): SyncService {
  const set = syncStatusStore.setState;
  const api = createApiClient({ baseUrl: serverUrl, getToken });
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: serverUrl, getToken }));
  const engine = new SyncEngine({ db, api, blobs, pullLimit: APP_PULL_LIMIT, onProgress: (progress) => set({ progress }) });

  const scheduler = new SyncScheduler({
    isRetryable: (error) => !(error instanceof SyncError) || error.retryable,
    onRetryPlanned: (at) => set({ retryAt: at ? at.toISOString() : null }),
    run: async ({ byPerson }) => {
      set({ phase: 'syncing', progress: null, browserOnline: navigator.onLine });
      try {
        // Someone is watching: files waiting out their upload back-off go now, not in minutes.
        const report = await engine.syncOnce({ retryUploadsNow: byPerson });
        set({ phase: 'idle', lastSyncAt: report.finishedAt, lastError: null, progress: null, retryAt: null });
      } catch (caught) {
        const error = toSyncError(caught);
        if (error.kind === 'custody_log') {
          // The round itself succeeded: rows synced. Backing off would only slow the data, and
          // the alarm stays up on every round until the server proves its log again.
          set({ phase: 'error', lastSyncAt: await readMeta(db, 'lastSyncAt'), lastError: { kind: error.kind, message: error.message, nextStep: error.nextStep }, progress: null, retryAt: null });
          return;
        }
        set({ phase: 'error', lastError: { kind: error.kind, message: error.message, nextStep: error.nextStep }, progress: null });
        throw error;
      }
    },
  });

  let knownCount: number | null = null;
  const outboxWatch = liveQuery(() => db.outbox.count()).subscribe({
    next: (count) => {
      set({ pendingCount: count });
      // Any local write lands in the outbox, so outbox growth is the signal to sync soon.
      if (knownCount !== null && count > knownCount) scheduler.requestSoon();
      knownCount = count;
    },
  });

  const onOnline = () => {
    set({ browserOnline: true });
    void scheduler.syncNow({ byPerson: true });
  };
  const onOffline = () => set({ browserOnline: false });
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  void readMeta(db, 'lastSyncAt').then((lastSyncAt) => {
    if (syncStatusStore.getState().lastSyncAt === null) set({ lastSyncAt });
  });
  set({ browserOnline: navigator.onLine, phase: 'idle', lastError: null, progress: null, retryAt: null });
  scheduler.start();

  return {
    syncNow: () => scheduler.syncNow({ byPerson: true }),
    stop() {
      scheduler.stop();
      outboxWatch.unsubscribe();
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    },
  };
}
