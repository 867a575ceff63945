import type { Job } from '../../shared/domain/job';
import { PullResponse } from '../../shared/sync/protocol';
import { writeMeta } from '../db/meta';
import { deleteJobWithHistory, jobDataTables, pendingEntriesForJob, rebasedStatus } from '../db/outbox';
import type { LocalJob, ReclaimDatabase } from '../db/schema';
import { searchWordsForJob } from '../db/search-words';
import { applyDoorChange, doorPullTables } from '../features/capture/door-pull';
import { recordCheckpointVerdict, type CheckpointJudge, type CheckpointVerdict } from './custody-log-watch';
import { SyncError } from './sync-error';

export interface AppliedPage {
  page: PullResponse;
  applied: number;
}

async function applyJob(db: ReclaimDatabase, job: Job, serverTime: string): Promise<void> {
  const pending = await pendingEntriesForJob(db, job.id);
  const row: LocalJob = {
    ...job,
    status: rebasedStatus(job.status, pending),
    confirmedStatus: job.status,
    lastConfirmedAt: serverTime,
    searchWords: searchWordsForJob(job),
    removedOnServer: false,
  };
  await db.jobs.put(row);
}

async function applyRemoval(db: ReclaimDatabase, jobId: string): Promise<void> {
  // Changes made offline on a job that was then reassigned must still reach the server first.
  if ((await db.outbox.where('jobId').equals(jobId).count()) > 0) {
    await db.jobs.update(jobId, { removedOnServer: true });
    return;
  }
  await deleteJobWithHistory(db, jobId);
}

/**
 * Validates one pull page, then applies its rows and the new cursor in one transaction.
 * A page that fails validation throws before the database is touched, so the cursor never
 * moves past changes this device did not store. A page carrying a custody log checkpoint has it
 * judged first (network and crypto cannot run inside the transaction); the verdict is written
 * with the rows, and a bad one never holds the rows back: data is not lost over a log dispute.
 */
export async function applyPullPage(db: ReclaimDatabase, raw: unknown, judgeCheckpoint?: CheckpointJudge): Promise<AppliedPage> {
  const parsed = PullResponse.safeParse(raw);
  if (!parsed.success) {
    throw new SyncError(
      'invalid_response',
      'The sync server sent changes this app does not understand; none of them were stored.',
      'It will try again by itself. If this keeps happening, the app may need an update.',
      null,
      { cause: parsed.error },
    );
  }
  const page = parsed.data;
  const verdict: CheckpointVerdict | null = page.checkpoint && judgeCheckpoint ? await judgeCheckpoint(page.checkpoint) : null;
  await db.transaction('rw', [db.outbox, db.meta, ...jobDataTables(db), ...doorPullTables(db)], async () => {
    for (const change of page.changes) {
      switch (change.entity) {
        case 'job':
          await applyJob(db, change.data, page.serverTime);
          break;
        case 'jobRemoval':
          await applyRemoval(db, change.id);
          break;
        case 'jobStatusChange':
          await db.jobStatusChanges.put(change.data);
          break;
        case 'jobNote':
          await db.jobNotes.put(change.data);
          break;
        default:
          await applyDoorChange(db, change);
      }
    }
    if (verdict) await recordCheckpointVerdict(db, verdict);
    await writeMeta(db, 'cursor', page.cursor);
  });
  return { page, applied: page.changes.length };
}
