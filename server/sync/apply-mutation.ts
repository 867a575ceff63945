import type { Kysely } from 'kysely';
import { checklistFlagIn, joinReasons, replaceChecklistFlag } from '../../shared/domain/client-requirements';
import { actorForRole, decideTransition, isFieldFact } from '../../shared/domain/job-status';
import { jobWithinScope, mayDo, rolesFor, scopeOf } from '../../shared/auth/role-matrix';
import type { Job, JobNote } from '../../shared/domain/job';
import type { JobNoteMutation, JobStatusChangeMutation, MutationResult } from '../../shared/sync/protocol';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import { newId } from '../../shared/ids';
import { reviewFieldClosing } from '../clients/closing-review';
import { decideMovedJobStatusChange, movedJobNoteReason } from '../../shared/dispatch/moved-job-work';
import { assignmentHistory } from '../dispatch/assignment-history';
import { publishJobWrite, publishJobWrites } from '../jobs/job-publication';
import { jobHistoryRepository } from '../store/job-history-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import type { DoorMutation } from '../visits/apply-door-mutation';

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
  return accessTo(act, await jobsRepository(act.db).find(jobId));
}

async function accessTo(act: Pick<MutationAct, 'db' | 'principal'>, job: Job | undefined): Promise<JobAccess | Outcome> {
  if (!job) return rejected('not_found', 'The job no longer exists on the server.');
  const scope = scopeOf('sync.push', act.principal.role);
  if (scope === null || !jobWithinScope(scope, act.principal.userId, job)) {
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
  const actor = actorForRole(act.principal.role);
  // An office status change (assign, hold, cancel, close) is a job write, whichever door it uses.
  if (actor === 'office' && !mayDo(act.principal.role, 'jobs.write')) {
    return rejected('forbidden', `Only these roles change a job's status from the office: ${rolesFor('jobs.write').join(', ')}. The change was not applied.`);
  }
  const decision = decideTransition(job.status, mutation.data, actor);
  if (decision.kind === 'reject') return rejected('transition', decision.reason);

  const transitionFlag = decision.kind === 'apply-flagged' ? decision.reason : null;
  // Items recovered in the field close the job at the door: the server holds that close to the
  // client's checklist itself, with the evidence it has, rather than trusting the laptop.
  const closing = isFieldFact(mutation.data.to) ? await reviewFieldClosing(act.db, job, mutation.data.reason, { earlierCollections: true }) : null;
  const checklistFlag = closing?.kind === 'unmet' ? closing.flag : null;
  const base = transitionFlag ?? job.reviewReason;
  const updated: Job = {
    ...job,
    status: mutation.data.to,
    // A close that meets the checklist, or goes past it with a reason, lifts an earlier unmet flag.
    reviewReason: closing === null ? base : replaceChecklistFlag(base, checklistFlag),
    updatedAt: act.at,
    version: job.version + 1,
  };
  await jobsRepository(act.db).save(updated);
  // The history records the transition the server actually made (from its own status), and the
  // author is whoever is signed in, whatever the client claimed.
  await history.recordStatusChange(
    { ...mutation.data, from: job.status, byUserId: act.principal.userId, reason: mutation.data.reason ?? transitionFlag ?? checklistFlag },
    act.hlc,
  );
  const noteIds = closing?.kind === 'overridden' ? [await keepOverride(act, updated, closing.note)] : [];
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true, statusChangeIds: [mutation.data.id], noteIds });
  const reasons = [transitionFlag, checklistFlag].filter((reason) => reason !== null);
  return reasons.length === 0 ? applied : flagged(reasons.join(' '));
}

/** An override of the client's checklist goes into the job's notes, where the dispatcher reads its history. */
async function keepOverride(act: MutationAct, job: Job, note: string): Promise<string> {
  const id = newId();
  await jobHistoryRepository(act.db).addNote({ id, jobId: job.id, text: note, at: act.at, byUserId: act.principal.userId }, act.hlc);
  return id;
}

const evidenceEntities: ReadonlySet<string> = new Set(['itemReconciliation', 'photo', 'signature']);

/**
 * The client's checklist, re-checked after door work was applied. A collection closes the job at
 * the door: met, it stands; gone past with the override note the app signs into the event, the
 * note joins the job's history; neither, it stands all the same (a field fact is never refused)
 * and the job is flagged naming what is missing. Evidence arriving later (a file that uploaded
 * after the close, another batch) re-checks a job flagged that way and lifts the flag once met.
 */
export async function reviewDoorWork(act: MutationAct, mutation: DoorMutation, outcome: Outcome): Promise<Outcome> {
  if (outcome.outcome !== 'applied' || !('jobId' in mutation.data)) return outcome;
  const isCollection = mutation.entity === 'custodyEvent' && mutation.data.kind === 'collected';
  if (!isCollection && !evidenceEntities.has(mutation.entity)) return outcome;
  const job = await jobsRepository(act.db).find(mutation.data.jobId);
  if (!job || (!isCollection && checklistFlagIn(job.reviewReason) === null)) return outcome;

  const recorded = mutation.entity === 'custodyEvent' ? mutation.data.note : null;
  const review = await reviewFieldClosing(act.db, job, recorded, { earlierCollections: !isCollection });
  const checklistFlag = review.kind === 'unmet' ? review.flag : null;
  const reviewReason = replaceChecklistFlag(job.reviewReason, checklistFlag);
  const noteIds = review.kind === 'overridden' ? [await keepOverride(act, job, review.note)] : [];
  const changed = reviewReason !== job.reviewReason;
  const updated: Job = changed ? { ...job, reviewReason, updatedAt: act.at, version: job.version + 1 } : job;
  if (changed) await jobsRepository(act.db).save(updated);
  if (changed || noteIds.length > 0) await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: changed, noteIds });
  if (!isCollection || checklistFlag === null) return outcome;
  return flagged(outcome.reason ? joinReasons(outcome.reason, checklistFlag) : checklistFlag);
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

/** A note of a push batch, with the server's HLC reading for it (see applyNotes). */
export interface NoteToApply {
  readonly mutation: NoteMutation;
  readonly hlc: string;
}

/** What one job's notes of a batch change: its note ids, and its row when the job has moved. */
interface NotesOfJob {
  job: Job;
  readonly previousAgentId: string | null;
  jobRowChanged: boolean;
  readonly noteIds: string[];
}

/**
 * Notes are append-only; a note never changes the job row, so it does not bump the job's version
 * (unless the job has moved from the agent: then it is flagged for review).
 *
 * A batch's consecutive notes are applied together, each getting the answer it would get alone,
 * in order: their jobs read in one query, the notes written in one insert that skips the ids
 * already taken (and says which it wrote), and published once per job. Alone, each note took
 * four round trips to the database (its job, its id, its row, its log rows), which on
 * PostgreSQL was most of a push's time. Nothing else in the batch runs in between (push.ts
 * applies waiting notes before any other mutation), so what a note reads cannot have changed
 * since the run began.
 */
export async function applyNotes(act: Omit<MutationAct, 'hlc'>, notes: readonly NoteToApply[]): Promise<Outcome[]> {
  const jobs = await jobsRepository(act.db).findMany([...new Set(notes.map(({ mutation }) => mutation.data.jobId))]);
  // Whether the agent may write on a job depends on the job's agent and the pusher only, and
  // notes never re-assign a job: decided once per job.
  const access = new Map<string, JobAccess | Outcome>();
  const accessOf: (JobAccess | Outcome)[] = [];
  const firstWithItsId = new Set<string>();
  const candidates: { note: JobNote; hlc: string }[] = [];
  for (const { mutation, hlc } of notes) {
    const jobId = mutation.data.jobId;
    const found = access.get(jobId) ?? (await accessTo(act, jobs.get(jobId)));
    access.set(jobId, found);
    accessOf.push(found);
    if (!isAccess(found) || firstWithItsId.has(mutation.data.id)) continue;
    firstWithItsId.add(mutation.data.id);
    candidates.push({ note: { ...mutation.data, byUserId: act.principal.userId }, hlc });
  }
  // The notes go in unless their id is taken: the insert itself says which went in, so no
  // lookup of the taken ids goes before it (a round trip less on PostgreSQL).
  const inserted = await jobHistoryRepository(act.db).addNotesWhereIdIsFree(candidates);
  const byJob = new Map<string, NotesOfJob>();
  const outcomes: Outcome[] = [];
  for (const [n, { mutation }] of notes.entries()) {
    const found = accessOf[n]!;
    if (!isAccess(found)) {
      outcomes.push(found);
      continue;
    }
    // Only the batch's first note with an id can have gone in; a later one with the same id is
    // refused like a note whose id another push took.
    if (!inserted.delete(mutation.data.id)) {
      outcomes.push(rejected('invalid', 'A note with this id already exists.'));
      continue;
    }
    const jobId = mutation.data.jobId;
    const ofJob = byJob.get(jobId) ?? { job: found.job, previousAgentId: found.job.assignedAgentId, jobRowChanged: false, noteIds: [] };
    byJob.set(jobId, ofJob);
    ofJob.noteIds.push(mutation.data.id);
    if (!found.moved) {
      outcomes.push(applied);
      continue;
    }
    const reason = movedJobNoteReason(act.principal.displayName);
    ofJob.job = { ...ofJob.job, reviewReason: reason, updatedAt: act.at, version: ofJob.job.version + 1 };
    ofJob.jobRowChanged = true;
    outcomes.push(flagged(reason));
  }
  for (const ofJob of byJob.values()) if (ofJob.jobRowChanged) await jobsRepository(act.db).save(ofJob.job);
  await publishJobWrites(act.db, [...byJob.values()]);
  return outcomes;
}
