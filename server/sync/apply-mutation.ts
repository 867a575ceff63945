import type { Kysely } from 'kysely';
import { actorForRole, decideTransition } from '../../shared/domain/job-status';
import { isOfficeRole } from '../../shared/domain/roles';
import type { Job } from '../../shared/domain/job';
import type { JobNoteMutation, JobStatusChangeMutation, MutationResult } from '../../shared/sync/protocol';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import { decideMovedJobStatusChange, movedJobNoteReason } from '../../shared/dispatch/moved-job-work';
import { assignmentHistory } from '../dispatch/assignment-history';
import { publishJobWrite } from '../jobs/job-publication';
import { jobHistoryRepository } from '../store/job-history-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';

type StatusChangeMutation = z.infer<typeof JobStatusChangeMutation>;
type NoteMutation = z.infer<typeof JobNoteMutation>;

export interface MutationAct {
  readonly db: Kysely<Database>;
  readonly principal: Principal;
  readonly at: string;
  /** The server's HLC reading after folding in the mutation's own timestamp. */
  readonly hlc: string;
}

type Outcome = Omit<MutationResult, 'id'>;

const applied: Outcome = { outcome: 'applied', reason: null, code: null };

function rejected(code: NonNullable<MutationResult['code']>, reason: string): Outcome {
  return { outcome: 'rejected', code, reason };
}

/** The job a mutation is about, and whether it was taken from this agent since they held it. */
interface JobAccess {
  readonly job: Job;
  readonly moved: boolean;
}

/**
 * Agents only touch their own jobs. The exception is work an agent did offline on a job that
 * was re-assigned before they synced: it happened, so it is kept and flagged for the dispatcher
 * (nothing typed offline is lost). An agent who never held the job is refused.
 */
async function jobFor(act: MutationAct, jobId: string): Promise<JobAccess | Outcome> {
  const job = await jobsRepository(act.db).find(jobId);
  if (!job) return rejected('not_found', 'The job no longer exists on the server.');
  if (!isOfficeRole(act.principal.role) && job.assignedAgentId !== act.principal.userId) {
    if (await assignmentHistory(act.db).heldBefore(job.id, act.principal.userId)) return { job, moved: true };
    return rejected('forbidden', 'This job is not assigned to you; the change was not applied.');
  }
  return { job, moved: false };
}

function isAccess(value: JobAccess | Outcome): value is JobAccess {
  return 'job' in value;
}

function flagged(reason: string): Outcome {
  return { outcome: 'applied', code: 'flagged', reason };
}

/**
 * A status change from the app goes through the shared merge rules: applied, applied and flagged
 * for review (a physical fact in the field meets an office change), or refused with a reason.
 */
export async function applyStatusChange(act: MutationAct, mutation: StatusChangeMutation): Promise<Outcome> {
  const found = await jobFor(act, mutation.data.jobId);
  if (!isAccess(found)) return found;
  const { job } = found;
  const history = jobHistoryRepository(act.db);
  if (await history.statusChangeExists(mutation.data.id)) {
    return rejected('invalid', 'A status change with this id already exists.');
  }
  if (found.moved) return applyStatusChangeOnMovedJob(act, job, mutation);
  const decision = decideTransition(job.status, mutation.data, actorForRole(act.principal.role));
  if (decision.kind === 'reject') return rejected('transition', decision.reason);

  const flagReason = decision.kind === 'apply-flagged' ? decision.reason : null;
  const updated: Job = {
    ...job,
    status: mutation.data.to,
    reviewReason: flagReason ?? job.reviewReason,
    updatedAt: act.at,
    version: job.version + 1,
  };
  await jobsRepository(act.db).save(updated);
  // The history records the transition the server actually made (from its own status), and the
  // author is whoever is signed in, whatever the client claimed.
  await history.recordStatusChange(
    { ...mutation.data, from: job.status, byUserId: act.principal.userId, reason: mutation.data.reason ?? flagReason },
    act.hlc,
  );
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true, statusChangeIds: [mutation.data.id] });
  return flagReason === null ? applied : flagged(flagReason);
}

/** The history keeps what the agent did, as they saw it; the job moves only for a physical fact. */
async function applyStatusChangeOnMovedJob(act: MutationAct, job: Job, mutation: StatusChangeMutation): Promise<Outcome> {
  const decision = decideMovedJobStatusChange(act.principal.displayName, mutation.data);
  const updated: Job = {
    ...job,
    status: decision.moveStatus ? mutation.data.to : job.status,
    reviewReason: decision.reviewReason,
    updatedAt: act.at,
    version: job.version + 1,
  };
  await jobsRepository(act.db).save(updated);
  await jobHistoryRepository(act.db).recordStatusChange(
    { ...mutation.data, from: decision.moveStatus ? job.status : mutation.data.from, byUserId: act.principal.userId, reason: mutation.data.reason ?? decision.reviewReason },
    act.hlc,
  );
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true, statusChangeIds: [mutation.data.id] });
  return flagged(decision.reviewReason);
}

/** Notes are append-only; a note never changes the job row, so it does not bump the job's version. */
export async function applyNote(act: MutationAct, mutation: NoteMutation): Promise<Outcome> {
  const found = await jobFor(act, mutation.data.jobId);
  if (!isAccess(found)) return found;
  const history = jobHistoryRepository(act.db);
  if (await history.noteExists(mutation.data.id)) return rejected('invalid', 'A note with this id already exists.');
  await history.addNote({ ...mutation.data, byUserId: act.principal.userId }, act.hlc);
  if (!found.moved) {
    await publishJobWrite(act.db, { job: found.job, previousAgentId: found.job.assignedAgentId, jobRowChanged: false, noteIds: [mutation.data.id] });
    return applied;
  }
  const reason = movedJobNoteReason(act.principal.displayName);
  const updated: Job = { ...found.job, reviewReason: reason, updatedAt: act.at, version: found.job.version + 1 };
  await jobsRepository(act.db).save(updated);
  await publishJobWrite(act.db, { job: updated, previousAgentId: found.job.assignedAgentId, jobRowChanged: true, noteIds: [mutation.data.id] });
  return flagged(reason);
}
