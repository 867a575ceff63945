import type { Kysely } from 'kysely';
import { actorForRole, decideTransition } from '../../shared/domain/job-status';
import { isOfficeRole } from '../../shared/domain/roles';
import type { Job } from '../../shared/domain/job';
import type { JobNoteMutation, JobStatusChangeMutation, MutationResult } from '../../shared/sync/protocol';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
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

/** The job a mutation is about, if this user may touch it; agents only touch their own jobs. */
async function jobFor(act: MutationAct, jobId: string): Promise<Job | Outcome> {
  const job = await jobsRepository(act.db).find(jobId);
  if (!job) return rejected('not_found', 'The job no longer exists on the server.');
  if (!isOfficeRole(act.principal.role) && job.assignedAgentId !== act.principal.userId) {
    return rejected('forbidden', 'This job is not assigned to you any more; the change was not applied.');
  }
  return job;
}

function isJob(value: Job | Outcome): value is Job {
  return 'id' in value;
}

/**
 * A status change from the app goes through the shared merge rules: applied, applied and flagged
 * for review (a physical fact in the field meets an office change), or refused with a reason.
 */
export async function applyStatusChange(act: MutationAct, mutation: StatusChangeMutation): Promise<Outcome> {
  const found = await jobFor(act, mutation.data.jobId);
  if (!isJob(found)) return found;
  const job = found;
  const history = jobHistoryRepository(act.db);
  if (await history.statusChangeExists(mutation.data.id)) {
    return rejected('invalid', 'A status change with this id already exists.');
  }
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
  return flagReason === null ? applied : { outcome: 'applied', code: 'flagged', reason: flagReason };
}

/** Notes are append-only; a note never changes the job row, so it does not bump the job's version. */
export async function applyNote(act: MutationAct, mutation: NoteMutation): Promise<Outcome> {
  const found = await jobFor(act, mutation.data.jobId);
  if (!isJob(found)) return found;
  const history = jobHistoryRepository(act.db);
  if (await history.noteExists(mutation.data.id)) return rejected('invalid', 'A note with this id already exists.');
  await history.addNote({ ...mutation.data, byUserId: act.principal.userId }, act.hlc);
  await publishJobWrite(act.db, { job: found, previousAgentId: found.assignedAgentId, jobRowChanged: false, noteIds: [mutation.data.id] });
  return applied;
}
