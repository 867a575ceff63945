import { isDownloadingPages, type SyncStatus } from './sync-status';

/** One state at a time, so the indicator can never say two things that disagree. */
export type SyncState = 'offline' | 'unreachable' | 'syncing' | 'problem' | 'waiting' | 'synced' | 'never';

export interface SyncInWords {
  state: SyncState;
  /** One line for the header. */
  text: string;
  /** The same for a screen reader, without figures that change on every page of a download. */
  announcement: string;
}

const counted = new Intl.NumberFormat();

function changes(count: number): string {
  return `${counted.format(count)} change${count === 1 ? '' : 's'}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

function progressText(status: SyncStatus): string {
  const progress = status.progress;
  if (!progress) return 'Syncing…';
  switch (progress.step) {
    case 'uploading':
      return `Uploading ${progress.itemsLeft} photo${progress.itemsLeft === 1 ? '' : 's'} (${megabytes(progress.bytesLeft)} left)`;
    case 'pushing':
      return `Sending ${counted.format(Math.min(progress.sent + 1, progress.total))} of ${counted.format(progress.total)}`;
    case 'pulling':
      if (progress.total !== null && progress.total > 0) return `Downloading changes: ${counted.format(progress.received)} of ${counted.format(progress.total)}`;
      return progress.received > 0 ? `Downloading changes: ${counted.format(progress.received)}` : 'Checking for updates…';
  }
}

/**
 * What the sync indicator says, decided in one place. In order: no network at all; the server
 * not answering; a round under way; a round that failed for another reason; changes waiting;
 * synced (only after a round that succeeded); never synced. "Synced" is never said while
 * changes wait or the last round failed.
 */
export function describeSync(status: SyncStatus, clock: (iso: string) => string): SyncInWords {
  const waiting = status.pendingCount > 0 ? changes(status.pendingCount) : null;
  if (!status.browserOnline) {
    const text = `Offline · ${waiting ? `${waiting} waiting` : 'nothing waiting to send'}`;
    return { state: 'offline', text, announcement: text };
  }
  if (status.phase === 'syncing') return { state: 'syncing', text: progressText(status), announcement: 'Syncing' };
  // A custody log alarm has its own banner; the round itself synced the rows.
  const error = status.lastError?.kind === 'custody_log' ? null : status.lastError;
  if (error?.kind === 'offline') {
    const retry = status.retryAt ? `retrying at ${clock(status.retryAt)}` : 'press Sync now to try again';
    const text = `Can't reach the server — ${retry}${waiting ? ` · ${waiting} waiting` : ''}`;
    return { state: 'unreachable', text, announcement: text };
  }
  if (error) {
    const text = `Not synced${waiting ? ` · ${waiting} waiting` : ''} — see the note below`;
    return { state: 'problem', text, announcement: `Not synced: ${error.message}` };
  }
  if (waiting) return { state: 'waiting', text: `${waiting} waiting`, announcement: `${waiting} waiting` };
  if (status.lastSyncAt) {
    const text = `Synced at ${clock(status.lastSyncAt)}`;
    return { state: 'synced', text, announcement: text };
  }
  return { state: 'never', text: 'Not synced yet', announcement: 'Not synced yet' };
}

/** The download's progress in words while pages are still coming (isDownloadingPages), else null. */
export function describeDownload(status: SyncStatus): string | null {
  return isDownloadingPages(status) ? progressText(status) : null;
}
