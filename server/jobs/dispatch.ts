import type { Kysely } from 'kysely';
import type { CreateJobRequest, PatchJobRequest } from '../../shared/api/jobs';
import type { Job, JobFields, JobStatusChange } from '../../shared/domain/job';
import { canTransition, isTerminal, jobStatusLabels, type JobStatus } from '../../shared/domain/job-status';
import { isUnderWay } from '../../shared/dispatch/bulk-action';
import { newId } from '../../shared/ids';
import type { HybridLogicalClock } from '../../shared/sync/hlc';
import { problems } from '../http/problem';
import { jobHistoryRepository } from '../store/job-history-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { usersRepository } from '../store/users-repository';
import { recordOfficeWrite } from '../dispatch/office-record';
import { publishJobWrite } from './job-publication';

/** Who does the office work, and when; every write below runs in the caller's transaction. */
export interface OfficeAct {
  readonly db: Kysely<Database>;
  readonly userId: string;
  readonly at: string;
  readonly clock: HybridLogicalClock;
}

export async function requireActiveAgent(db: Kysely<Database>, agentId: string): Promise<void> {
  const agent = await usersRepository(db).findById(agentId);
  if (!agent || agent.disabled || agent.role !== 'agent') {
    throw problems.validation('Jobs can only be assigned to an active field agent.', [
      { path: 'assignedAgentId', message: 'not an active field agent' },
    ]);
  }
}

/**
 * A change of agent in the job's own words, kept with the status change (or as one that keeps
 * the status) so the job's history lists every reassignment by name, as it read at the time.
 */
function assignmentWords(names: ReadonlyMap<string, string>, from: string | null, to: string | null): string {
  const nameOf = (id: string) => names.get(id) ?? 'a former user';
  if (from === null && to !== null) return `Assigned to ${nameOf(to)}`;
  if (from !== null && to === null) return `Taken off ${nameOf(from)}'s list`;
  return `Reassigned from ${nameOf(from ?? '')} to ${nameOf(to ?? '')}`;
}

/** Display names of the people a patch may move jobs between, for assignmentWords. */
export async function namesOf(db: Kysely<Database>, userIds: Iterable<string | null>): Promise<Map<string, string>> {
  const ids = [...new Set([...userIds].filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

async function requireClient(db: Kysely<Database>, clientId: string, clientName: string | undefined): Promise<void> {
  const jobs = jobsRepository(db);
  if (clientName !== undefined) {
    await jobs.ensureClient({ id: clientId, name: clientName });
  } else if (!(await jobs.clientExists(clientId))) {
    throw problems.validation('That client is not known; give its name to add it.', [
      { path: 'clientName', message: 'required for a new client' },
    ]);
  }
}

/** Creates a job; with an agent it starts as assigned, and the assignment is in its history. */
export async function createJob(act: OfficeAct, request: CreateJobRequest): Promise<Job> {
  const jobs = jobsRepository(act.db);
  const id = request.id ?? newId();
  if (await jobs.find(id)) throw problems.conflict('A job with this id already exists.');
  await requireClient(act.db, request.clientId, request.clientName);
  if (request.assignedAgentId !== null) await requireActiveAgent(act.db, request.assignedAgentId);

  const { id: _ignored, assignedAgentId, ...fields } = request;
  const created: Job = {
    ...fields,
    id,
    status: 'unassigned',
    assignedAgentId: null,
    reviewReason: null,
    createdAt: act.at,
    updatedAt: act.at,
    version: 1,
  };
  await jobs.insert(created);
  await recordOfficeWrite(act, null, created, 'job.created');
  await publishJobWrite(act.db, { job: created, previousAgentId: null, jobRowChanged: true });
  if (assignedAgentId === null) return created;
  return patchJob(act, id, { assignedAgentId });
}

/** The status a patch leads to, or null when the status stays. */
function nextStatus(job: Job, patch: PatchJobRequest, agentAfter: string | null): JobStatus | null {
  if (patch.status !== undefined && patch.status !== job.status) {
    if (!canTransition(job.status, patch.status, 'office')) {
      throw problems.conflict(
        `A job that is ${jobStatusLabels[job.status]} cannot be moved to ${jobStatusLabels[patch.status]} by the office.`,
      );
    }
    if (patch.status === 'assigned' && agentAfter === null) {
      throw problems.conflict('Choose an agent before marking the job as assigned.');
    }
    return patch.status;
  }
  if (patch.status !== undefined) return null;
  // Assignment is the dispatcher's everyday act; the status follows it so nobody has to do both.
  if (job.status === 'unassigned' && agentAfter !== null) return 'assigned';
  if (job.status === 'assigned' && agentAfter === null) return 'unassigned';
  return null;
}

/** What an office patch does to a job, decided before anything is written. */
export interface PlannedPatch {
  readonly before: Job;
  readonly updated: Job;
  readonly fields: readonly string[];
  readonly statusChange: JobStatusChange | null;
}

function requireVersion(job: Job, patch: PatchJobRequest): void {
  if (patch.expectedVersion !== undefined && patch.expectedVersion !== job.version) {
    throw problems.conflict(
      `Someone changed this job meanwhile (it is now at version ${job.version}, you edited version ${patch.expectedVersion}); reload it and try again.`,
    );
  }
}

/**
 * The rules of an office patch, without the database: the state machine, terminal jobs, the
 * stale version. The caller has checked the client and that a new agent is an active one
 * (see agentToCheck). Throws the problem to answer when the job cannot move.
 */
export function planPatch(act: Pick<OfficeAct, 'userId' | 'at'>, job: Job, patch: PatchJobRequest, names: ReadonlyMap<string, string>): PlannedPatch {
  requireVersion(job, patch);
  const { status: _status, assignedAgentId, statusReason, expectedVersion: _expected, ...fieldPatch } = patch;
  let agentAfter = assignedAgentId === undefined ? job.assignedAgentId : assignedAgentId;
  if (agentAfter !== job.assignedAgentId && isTerminal(job.status)) {
    throw problems.conflict(`A job that is ${jobStatusLabels[job.status]} cannot be assigned or unassigned.`);
  }
  const status = nextStatus(job, patch, agentAfter);
  // An unassigned job has nobody on it; taking it back to unassigned frees the agent.
  if (status === 'unassigned') agentAfter = null;
  // A job under way with nobody on it would vanish from the list of the agent at the door while
  // it still says they are there (a bulk unassign leaves such jobs out for the same reason).
  const statusAfter = status ?? job.status;
  if (agentAfter === null && job.assignedAgentId !== null && isUnderWay(statusAfter)) {
    throw problems.conflict(
      `A job that is ${jobStatusLabels[statusAfter]} cannot be left without its agent: they are working it. Hand it to another agent, or change its status first.`,
    );
  }

  const fields: Partial<JobFields> = Object.fromEntries(
    Object.entries(fieldPatch).filter(([, value]) => value !== undefined),
  );
  const updated: Job = {
    ...job,
    ...fields,
    status: status ?? job.status,
    assignedAgentId: agentAfter,
    updatedAt: act.at,
    version: job.version + 1,
  };
  const agentChanged = agentAfter !== job.assignedAgentId;
  const assignment = agentChanged ? assignmentWords(names, job.assignedAgentId, agentAfter) : null;
  const statusChange: JobStatusChange | null =
    status === null && !agentChanged
      ? null
      : {
          id: newId(),
          jobId: job.id,
          from: job.status,
          // A reassignment that keeps the status is still an entry in the history, from and to the same status.
          to: status ?? job.status,
          at: act.at,
          byUserId: act.userId,
          reason: [assignment, statusReason].filter((part): part is string => Boolean(part)).join(': ').slice(0, 500) || null,
        };
  return { before: job, updated, fields: Object.keys(fields), statusChange };
}

/** The agent a patch hands the job to, when that is a change the caller must check first. */
export function agentToCheck(job: Job, patch: PatchJobRequest): string | null {
  const agentAfter = patch.assignedAgentId === undefined ? job.assignedAgentId : patch.assignedAgentId;
  return agentAfter !== null && agentAfter !== job.assignedAgentId && !isTerminal(job.status) ? agentAfter : null;
}

/**
 * The office changes a job: fields, assignment, status. The status goes through the state
 * machine; a stale expectedVersion is refused so two dispatchers do not overwrite each other.
 */
export async function patchJob(act: OfficeAct, jobId: string, patch: PatchJobRequest): Promise<Job> {
  const jobs = jobsRepository(act.db);
  const job = await jobs.find(jobId);
  if (!job) throw problems.notFound('No job with this id.');
  requireVersion(job, patch);
  if (patch.clientId !== undefined) await requireClient(act.db, patch.clientId, patch.clientName);
  const agent = agentToCheck(job, patch);
  if (agent !== null) await requireActiveAgent(act.db, agent);
  const { updated, fields, statusChange } = planPatch(act, job, patch, await namesOf(act.db, [job.assignedAgentId, patch.assignedAgentId ?? null]));

  await jobs.save(updated);
  await recordOfficeWrite(act, job, updated, 'job.changed', { fields, ...(patch.statusReason ? { reason: patch.statusReason } : {}) });
  if (statusChange !== null) await jobHistoryRepository(act.db).recordStatusChange(statusChange, act.clock.now());
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true, statusChangeIds: statusChange ? [statusChange.id] : [] });
  return updated;
}
