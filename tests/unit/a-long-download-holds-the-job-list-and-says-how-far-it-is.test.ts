import { describe, expect, it } from 'vitest';
import { initialSyncStatus, isDownloadingPages, type SyncStatus } from '../../renderer/sync/sync-status';
import { describeDownload } from '../../renderer/sync/sync-words';

/**
 * While a pull still has pages to come, the job list keeps the order it holds and reads it once
 * at the end (useJobListIds); a list with nothing yet says how far the download is instead. Both
 * hang on one judgement of the sync status, held here to what the engine reports: a pull's
 * progress counts pages received only while more follow.
 */
const status = (fields: Partial<SyncStatus>): SyncStatus => ({ ...initialSyncStatus, browserOnline: true, ...fields });

describe('a long download', () => {
  it('is under way once a pull page has landed and more follow, and says how far it is', () => {
    const downloading = status({ phase: 'syncing', progress: { step: 'pulling', received: 4000, total: 10000 } });
    expect(isDownloadingPages(downloading)).toBe(true);
    expect(describeDownload(downloading)).toBe(`Downloading changes: ${(4000).toLocaleString()} of ${(10000).toLocaleString()}`);
    const uncounted = status({ phase: 'syncing', progress: { step: 'pulling', received: 1000, total: null } });
    expect(describeDownload(uncounted)).toBe(`Downloading changes: ${(1000).toLocaleString()}`);
  });

  it('is not under way for a round whose changes come on one page, nor while it pushes or uploads', () => {
    for (const progress of [
      { step: 'pulling' as const, received: 0, total: null },
      { step: 'pushing' as const, sent: 3, total: 10 },
      { step: 'uploading' as const, itemsLeft: 2, bytesLeft: 1_000_000 },
      null,
    ]) {
      const round = status({ phase: 'syncing', progress });
      expect(isDownloadingPages(round)).toBe(false);
      expect(describeDownload(round)).toBeNull();
    }
  });

  it('ends with the round, whether it succeeded or failed, so the list reads its order again', () => {
    const progress = { step: 'pulling' as const, received: 4000, total: 10000 };
    expect(isDownloadingPages(status({ phase: 'idle', progress }))).toBe(false);
    expect(isDownloadingPages(status({ phase: 'error', progress }))).toBe(false);
    expect(isDownloadingPages(status({ phase: 'idle', progress: null, lastSyncAt: '2026-12-04T20:00:00.000Z' }))).toBe(false);
  });
});
