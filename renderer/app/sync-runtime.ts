import type { StoredSession } from '../db/meta';
import { getBridge } from '../platform/bridge';
import { startSyncService, type SyncService } from '../sync/sync-service';
import { initialSyncStatus, syncStatusStore } from '../sync/sync-status';
import { localDb } from './local-database';

let service: SyncService | null = null;

/** Starts syncing for a signed-in session; the token is read from the platform's secret store each time. */
export function startSync(session: StoredSession): void {
  service?.stop();
  service = startSyncService({
    db: localDb,
    serverUrl: session.serverUrl,
    getToken: () => getBridge().getSecret('session'),
  });
}

export function stopSync(): void {
  service?.stop();
  service = null;
  syncStatusStore.setState(initialSyncStatus);
}

export function syncNow(): Promise<void> {
  return service?.syncNow() ?? Promise.resolve();
}
