import { syncNow } from '../app/sync-runtime';
import { useSyncStatus, type SyncStatus } from '../sync/sync-status';
import { formatClockTime } from './date-format';
import { formatBytes } from '../features/capture/storage-words';

function waitingText(count: number): string {
  return `${count} change${count === 1 ? '' : 's'} waiting to sync`;
}

function progressText(status: SyncStatus): string {
  const progress = status.progress;
  if (!progress) return 'Syncing…';
  if (progress.step === 'uploading') return `Uploading photos (${progress.itemsLeft} left, ${formatBytes(progress.bytesLeft)})…`;
  if (progress.step === 'pushing') return `Sending changes (${progress.sent} of ${progress.total})…`;
  return progress.received > 0 ? `Receiving updates (${progress.received})…` : 'Checking for updates…';
}

/**
 * Tells the agent, at a glance, whether what they typed has reached the office. The word
 * "Synced" appears only when the outbox is empty and the last attempt succeeded.
 */
export function SyncIndicator() {
  const status = useSyncStatus((state) => state);
  const synced = status.pendingCount === 0 && status.lastError === null && status.lastSyncAt !== null;

  return (
    <section className="sync-indicator" data-testid="sync-indicator" aria-label="Sync">
      <span className={`sync-connection ${status.online ? 'is-online' : 'is-offline'}`}>
        {status.online ? 'Online' : 'Offline'}
      </span>
      <span className="sync-pending">
        {status.pendingCount > 0 ? waitingText(status.pendingCount) : 'All changes synced'}
      </span>
      {status.phase === 'syncing' ? (
        <span className="sync-phase" aria-live="polite">
          {progressText(status)}
        </span>
      ) : synced && status.lastSyncAt ? (
        <span className="sync-phase is-synced">Synced · {formatClockTime(status.lastSyncAt)}</span>
      ) : status.lastSyncAt ? (
        <span className="sync-phase">Last synced {formatClockTime(status.lastSyncAt)}</span>
      ) : (
        <span className="sync-phase">Not synced yet</span>
      )}
      <button type="button" className="button-secondary" onClick={() => void syncNow()}>
        Sync now
      </button>
      {/* The custody log alarm has its own banner across the app (CustodyLogAlarmBanner). */}
      {status.lastError && status.lastError.kind !== 'custody_log' ? (
        <p className="sync-error" role="status">
          {status.lastError.message} {status.lastError.nextStep}
        </p>
      ) : null}
    </section>
  );
}
