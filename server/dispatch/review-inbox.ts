import type { Kysely } from 'kysely';
import { joinReasons } from '../../shared/domain/client-requirements';
import type { Job } from '../../shared/domain/job';
import { problems } from '../http/problem';
import { publishJobWrite } from '../jobs/job-publication';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { dispatchAudit } from './dispatch-audit';

/**
 * The review inbox: jobs the sync merge rules flagged (a field fact met an office change, an
 * objection at the door, work on a job that moved). The flag is the job's review reason.
 */
export async function flaggedJobs(db: Kysely<Database>): Promise<Job[]> {
  const rows = await db.selectFrom('jobs').select('id').where('review_reason', 'is not', null).orderBy('updated_at', 'desc').limit(1000).execute();
  const byId = await jobsRepository(db).findMany(rows.map((row) => row.id));
  return rows.flatMap((row) => byId.get(row.id) ?? []);
}

/**
 * Puts a job in the review inbox with a reason, beside any flag it already has (the same reason
 * twice reads once). Runs in the caller's transaction; everyone who sees the job gets the flag.
 */
export async function flagForReview(act: { db: Kysely<Database>; at: string }, jobId: string, reason: string): Promise<void> {
  const jobs = jobsRepository(act.db);
  const job = await jobs.find(jobId);
  if (!job) return;
  const reviewReason = joinReasons(job.reviewReason, reason);
  if (reviewReason === job.reviewReason) return;
  const updated: Job = { ...job, reviewReason, updatedAt: act.at, version: job.version + 1 };
  await jobs.save(updated);
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true });
}

/** Clears a flag; the audit trail keeps what was cleared, by whom and when. */
export async function clearReview(act: { db: Kysely<Database>; userId: string; at: string }, jobId: string, note: string | undefined): Promise<Job> {
  const jobs = jobsRepository(act.db);
  const job = await jobs.find(jobId);
  if (!job) throw problems.notFound('No job with this id.');
  if (job.reviewReason === null) throw problems.conflict('This job has no flag to clear; someone may have cleared it already.');
  const updated: Job = { ...job, reviewReason: null, updatedAt: act.at, version: job.version + 1 };
  await jobs.save(updated);
  await dispatchAudit(act.db).record([{ at: act.at, userId: act.userId, action: 'review.cleared', jobId, detail: { reason: job.reviewReason, ...(note ? { note } : {}) } }]);
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true });
  return updated;
}
