import type { JobStatus } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import { retryableRefusals, type Mutation, type MutationResult } from '../../shared/sync/protocol';
import { stampMutation } from './device';
import { removeStatusChange, removeStatusChangesOfJob } from './status-change-packs';
import type { OutboxEntry, ReclaimDatabase } from './schema';

/** Join a transaction that also writes the local row, so the row and its mutation commit together. */
export async function enqueueMutation(db: ReclaimDatabase, mutation: Mutation): Promise<void> {
  // A device key belongs to no job; '' keeps the jobId index total.
  const jobId = 'jobId' in mutation.data ? mutation.data.jobId : '';
  await db.outbox.add({ id: mutation.id, entity: mutation.entity, jobId, mutation });
}

/** What a change says, without the id and stamp this device gives it. */
export type MutationBody = Mutation extends infer M ? (M extends Mutation ? Pick<M, 'entity' | 'op' | 'data'> : never) : never;

/**
 * Stamps a change with this device's clock and a new id, and queues it. Join a transaction that
 * spans `outbox` and `meta` with the row the change records, so the three commit together.
 */
export async function queueMutation(db: ReclaimDatabase, body: MutationBody, wallClock?: () => number): Promise<void> {
  const stamp = await stampMutation(db, wallClock);
  await enqueueMutation(db, { ...stamp, id: newId(), ...body });
}

export async function pendingEntriesForJob(db: ReclaimDatabase, jobId: string): Promise<OutboxEntry[]> {
  return db.outbox.where('jobId').equals(jobId).sortBy('seq');
}

/**
 * The status a job shows on this device: the last status change still waiting to be pushed,
 * else what the server confirmed. Local pending changes are replayed over server snapshots.
 */
export function rebasedStatus(confirmed: JobStatus, pending: readonly OutboxEntry[]): JobStatus {
  let status = confirmed;
  for (const entry of pending) {
    if (entry.mutation.entity === 'jobStatusChange') status = entry.mutation.data.to;
  }
  return status;
}

export interface SettledPush {
  applied: number;
  duplicate: number;
  rejected: number;
  /** Kept in the outbox to try again later (a retryable refusal, or no answer at all). */
  deferred: number;
  /** The server's words for why mutations were deferred, when it gave some. */
  deferredReasons: string[];
  /** The server's codes for deferred mutations (null when it did not answer). */
  deferredCodes: MutationResult['code'][];
}

/**
 * Records the server's answer for one pushed batch in one transaction. An entry leaves the
 * outbox only when the server has it (applied or duplicate) or refused it for good; a refused
 * change moves to rejectedMutations with the reason so the agent sees it, and its local row is
 * undone so the job shows what the server holds.
 */
export async function settlePushResults(
  db: ReclaimDatabase,
  sent: readonly OutboxEntry[],
  results: readonly MutationResult[],
  now: () => Date = () => new Date(),
): Promise<SettledPush> {
  const resultById = new Map(results.map((result) => [result.id, result]));
  const settled: SettledPush = { applied: 0, duplicate: 0, rejected: 0, deferred: 0, deferredReasons: [], deferredCodes: [] };
  await db.transaction('rw', [db.outbox, db.rejectedMutations, db.jobs, db.statusChangePacks, db.jobNotes], async () => {
    const touchedJobs = new Set<string>();
    for (const entry of sent) {
      const result = resultById.get(entry.id);
      if (!result || (result.outcome === 'rejected' && retryableRefusals.has(result.code))) {
        settled.deferred += 1;
        if (result?.reason) settled.deferredReasons.push(result.reason);
        settled.deferredCodes.push(result?.code ?? null);
        continue;
      }
      await db.outbox.delete(entry.seq ?? -1);
      if (result.outcome === 'rejected') {
        settled.rejected += 1;
        await db.rejectedMutations.put({
          id: entry.id,
          entity: entry.entity,
          jobId: entry.jobId,
          mutation: entry.mutation,
          reason: result.reason ?? 'The server refused this change.',
          code: result.code,
          rejectedAt: now().toISOString(),
        });
        if (entry.mutation.entity === 'jobStatusChange') await removeStatusChange(db, entry.jobId, entry.mutation.data.id);
        else if (entry.mutation.entity === 'jobNote') await db.jobNotes.delete(entry.mutation.data.id);
        // Door records and custody events stay: evidence is never dropped, the refusal is shown beside it.
        touchedJobs.add(entry.jobId);
      } else {
        settled[result.outcome] += 1;
      }
    }
    for (const jobId of touchedJobs) {
      const job = await db.jobs.get(jobId);
      if (job) await db.jobs.update(jobId, { status: rebasedStatus(job.confirmedStatus, await pendingEntriesForJob(db, jobId)) });
    }
  });
  return settled;
}

/**
 * Jobs the server removed from this user's view are kept while their changes wait; once the
 * outbox has nothing left for them they go, with their history. They are found in releasedJobs,
 * not by reading every job: this runs after every push and every pull, and a scan of 10,000 jobs
 * took up to a second each time. A listed job the server has given back since is only unlisted.
 */
export async function purgeReleasedJobs(db: ReclaimDatabase): Promise<number> {
  return db.transaction('rw', [db.outbox, ...jobDataTables(db)], async () => {
    const listed = await db.releasedJobs.toArray();
    let purged = 0;
    for (const { jobId } of listed) {
      const job = await db.jobs.get(jobId);
      if (!job?.removedOnServer) {
        await db.releasedJobs.delete(jobId);
        continue;
      }
      if ((await db.outbox.where('jobId').equals(jobId).count()) > 0) continue;
      await deleteJobWithHistory(db, jobId);
      purged += 1;
    }
    return purged;
  });
}

/** Keeps a job the server took away while its changes wait: flagged, and listed for the purge. Join a transaction over jobDataTables. */
export async function keepReleasedJob(db: ReclaimDatabase, jobId: string): Promise<void> {
  await db.jobs.update(jobId, { removedOnServer: true });
  await db.releasedJobs.put({ jobId });
}

/** Every table that holds something about a job; a transaction that forgets a job must span them all. */
export function jobDataTables(db: ReclaimDatabase) {
  return [
    db.jobs,
    db.statusChangePacks,
    db.releasedJobs,
    db.jobNotes,
    db.visits,
    db.itemReconciliations,
    db.photos,
    db.signatures,
    db.custodyEvents,
    db.custodyHeads,
    db.personalProperty,
    db.personalPropertyEvents,
    db.customerReceipts,
    db.blobs,
  ];
}

/**
 * Forgets a job the server no longer shows this user: its row, history and door records (photos
 * of a customer's home and their signature are personal data too), the chain heads its custody
 * events set, and the files no other record on the laptop names. A file not yet uploaded stays:
 * nothing that has not reached the server is ever dropped here.
 */
export async function deleteJobWithHistory(db: ReclaimDatabase, jobId: string): Promise<void> {
  const photos = await db.photos.where('jobId').equals(jobId).toArray();
  const signatures = await db.signatures.where('jobId').equals(jobId).toArray();
  const events = await db.custodyEvents.where('jobId').equals(jobId).toArray();
  const receipts = await db.customerReceipts.where('jobId').equals(jobId).toArray();
  const eventIds = new Set(events.map((event) => event.id));

  await db.jobs.delete(jobId);
  await db.releasedJobs.delete(jobId);
  await removeStatusChangesOfJob(db, jobId);
  await db.jobNotes.where('jobId').equals(jobId).delete();
  await db.visits.where('jobId').equals(jobId).delete();
  await db.itemReconciliations.where('jobId').equals(jobId).delete();
  await db.photos.where('jobId').equals(jobId).delete();
  await db.signatures.where('jobId').equals(jobId).delete();
  await db.custodyEvents.where('jobId').equals(jobId).delete();
  await db.custodyHeads.filter((head) => eventIds.has(head.eventId)).delete();
  await db.personalProperty.where('jobId').equals(jobId).delete();
  await db.personalPropertyEvents.where('jobId').equals(jobId).delete();
  await db.customerReceipts.where('jobId').equals(jobId).delete();

  const hashes = new Set([...photos.map((photo) => photo.sha256), ...signatures.map((signature) => signature.sha256), ...receipts.map((receipt) => receipt.sha256)]);
  for (const sha256 of hashes) {
    const stillNamed =
      (await db.photos.where('sha256').equals(sha256).count()) > 0 ||
      (await db.signatures.filter((signature) => signature.sha256 === sha256).count()) > 0 ||
      (await db.customerReceipts.filter((receipt) => receipt.sha256 === sha256).count()) > 0;
    if (stillNamed) continue;
    const blob = await db.blobs.get(sha256);
    if (blob?.state === 'uploaded') await db.blobs.delete(sha256);
  }
}
