import type { Job } from '../../shared/domain/job';
import { PullResponse, type Change } from '../../shared/sync/protocol';
import { writeMeta } from '../db/meta';
import { jobListKey } from '../db/job-list-key';
import { deleteJobWithHistory, jobDataTables, keepReleasedJob, rebasedStatus } from '../db/outbox';
import { addStatusChanges } from '../db/status-change-packs';
import type { LocalJob, OutboxEntry, ReclaimDatabase } from '../db/schema';
import { searchWordsForJob } from '../db/search-words';
import { applyDoorChange, doorPullTables } from '../features/capture/door-pull';
import { recordCheckpointVerdict, type CheckpointJudge, type CheckpointVerdict } from './custody-log-watch';
import { SyncError } from './sync-error';

export interface AppliedPage {
  page: PullResponse;
  applied: number;
}

function localJob(job: Job, pending: readonly OutboxEntry[], serverTime: string): LocalJob {
  return {
    ...job,
    status: rebasedStatus(job.status, pending),
    confirmedStatus: job.status,
    lastConfirmedAt: serverTime,
    searchWords: searchWordsForJob(job),
    removedOnServer: false,
    listKey: jobListKey(job),
  };
}

async function applyRemoval(db: ReclaimDatabase, jobId: string): Promise<void> {
  // Changes made offline on a job that was then reassigned must still reach the server first.
  if ((await db.outbox.where('jobId').equals(jobId).count()) > 0) {
    await keepReleasedJob(db, jobId);
    return;
  }
  await deleteJobWithHistory(db, jobId);
}

/**
 * Writes a run of changes with no removal among them as bulk writes: one read of the outbox for
 * the run's jobs, one bulkPut per table. A page of 200 jobs is then a handful of IndexedDB
 * requests instead of a read and a write per row, which is what made a first sync cost many
 * times its transfer. Within a run no record appears twice (a page carries each record once), so
 * the order of writes inside it does not matter.
 */
async function applyRun(db: ReclaimDatabase, run: readonly Change[], serverTime: string): Promise<void> {
  const jobs: Job[] = [];
  const statusChanges = [];
  const notes = [];
  const door = [];
  for (const change of run) {
    if (change.entity === 'job') jobs.push(change.data);
    else if (change.entity === 'jobStatusChange') statusChanges.push(change.data);
    else if (change.entity === 'jobNote') notes.push(change.data);
    else if (change.entity !== 'jobRemoval') door.push(change);
  }
  if (jobs.length > 0) {
    const pending = new Map<string, OutboxEntry[]>();
    const entries = await db.outbox.where('jobId').anyOf(jobs.map((job) => job.id)).toArray();
    for (const entry of entries.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) {
      pending.set(entry.jobId, [...(pending.get(entry.jobId) ?? []), entry]);
    }
    await db.jobs.bulkPut(jobs.map((job) => localJob(job, pending.get(job.id) ?? [], serverTime)));
  }
  // One record for the run's status changes, however many (see status-change-packs.ts).
  await addStatusChanges(db, statusChanges);
  if (notes.length > 0) await db.jobNotes.bulkPut(notes);
  // Door records merge by union and are few on a page; each is checked against what is held.
  for (const change of door) await applyDoorChange(db, change);
}

/**
 * Validates one pull page as it came off the wire. Throws a SyncError before anything is stored,
 * so the cursor never moves past changes this device did not understand.
 */
export function readPullPage(raw: unknown): PullResponse {
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
  return parsed.data;
}

/**
 * Applies a validated page's rows and its cursor in one transaction. A page carrying a custody
 * log checkpoint has it judged first (network and crypto cannot run inside the transaction);
 * the verdict is written with the rows, and a bad one never holds the rows back: data is not
 * lost over a log dispute.
 */
export async function storePullPage(db: ReclaimDatabase, page: PullResponse, judgeCheckpoint?: CheckpointJudge): Promise<AppliedPage> {
  const verdict: CheckpointVerdict | null = page.checkpoint && judgeCheckpoint ? await judgeCheckpoint(page.checkpoint) : null;
  await db.transaction('rw', [db.outbox, db.meta, ...jobDataTables(db), ...doorPullTables(db)], async () => {
    // A removal splits the page: what came before it is written first, so a job removed and
    // then given back on the same page ends as the server left it.
    let run: Change[] = [];
    for (const change of page.changes) {
      if (change.entity !== 'jobRemoval') {
        run.push(change);
        continue;
      }
      await applyRun(db, run, page.serverTime);
      run = [];
      await applyRemoval(db, change.id);
    }
    await applyRun(db, run, page.serverTime);
    if (verdict) await recordCheckpointVerdict(db, verdict);
    await writeMeta(db, 'cursor', page.cursor);
  });
  return { page, applied: page.changes.length };
}

/** Validates one pull page, then applies it (readPullPage, storePullPage). */
export async function applyPullPage(db: ReclaimDatabase, raw: unknown, judgeCheckpoint?: CheckpointJudge): Promise<AppliedPage> {
  return storePullPage(db, readPullPage(raw), judgeCheckpoint);
}
