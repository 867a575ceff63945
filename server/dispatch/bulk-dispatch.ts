import { sql, type Kysely } from 'kysely';
import type { PatchJobRequest } from '../../shared/api/jobs';
import { bulkVerdict, changedSinceWords, skipWords, standingWords, type BulkAction } from '../../shared/dispatch/bulk-action';
import type { AssignJobsRequest, BulkRefusal, BulkResult, HoldOrCancelRequest } from '../../shared/dispatch/dispatch-api';
import type { Job } from '../../shared/domain/job';
import type { HybridLogicalClock } from '../../shared/sync/hlc';
import { ProblemError, problems } from '../http/problem';
import { agentToCheck, namesOf, planPatch, requireActiveAgent, type PlannedPatch } from '../jobs/dispatch';
import { publishJobWrites } from '../jobs/job-publication';
import { writeTransaction } from '../store/change-log';
import { storeKindOf } from '../store/dialect';
import { jobHistoryRepository } from '../store/job-history-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import { assignmentHistory } from './assignment-history';
import { dispatchAudit } from './dispatch-audit';

export interface BulkAct {
  readonly db: Kysely<Database>;
  readonly userId: string;
  readonly at: string;
  readonly clock: HybridLogicalClock;
}

type Results = BulkResult['results'];

/**
 * Jobs per transaction: a few statements for the whole chunk, not a dozen round trips per job
 * (5,000 jobs one by one took 24 s on PostgreSQL), while the row locks a chunk takes are held
 * for a fraction of a second, so a field push to one of these jobs does not wait for all 5,000.
 */
const JOBS_PER_TRANSACTION = 500;

/** Chunk transactions in flight at once on PostgreSQL, each on a connection of the pool. */
const PARALLEL_TRANSACTIONS = 2;

/** What the dispatcher saw of each job, by id (AssignJobsRequest.seen). */
type SeenJobs = ReadonlyMap<string, AssignJobsRequest['seen'][number]>;

/**
 * One job or many: one job that cannot move (already closed, changed meanwhile) is reported and
 * does not undo the others the dispatcher selected. Every job goes through the same rules as a
 * single edit (planPatch), and gets the same audit line, assignment history, status change and
 * change-log rows (publishJobWrites), written set by set.
 */
async function eachJob(act: BulkAct, jobIds: readonly string[], action: BulkAction, seen: AssignJobsRequest['seen'], patch: PatchJobRequest): Promise<BulkResult> {
  const unique = [...new Set(jobIds)];
  const seenById: SeenJobs = new Map(seen.map((entry) => [entry.jobId, entry]));
  const chunks: string[][] = [];
  for (let start = 0; start < unique.length; start += JOBS_PER_TRANSACTION) chunks.push(unique.slice(start, start + JOBS_PER_TRANSACTION));
  const outcomes = new Map<string, Results[number]>();
  let failed = false;
  const patchNext = async (): Promise<void> => {
    // After a failure no further chunk starts, as when the chunks ran one after another.
    for (let chunk = chunks.shift(); chunk !== undefined && !failed; chunk = chunks.shift()) {
      const current = chunk;
      try {
        const chunkOutcomes = await writeTransaction(act.db, (trx) => patchChunk({ ...act, db: trx }, current, action, seenById, patch));
        for (const [jobId, outcome] of chunkOutcomes) outcomes.set(jobId, outcome);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // PostgreSQL works on two chunks at once, each in its own transaction on a connection of its
  // own: most of a chunk's time is the database's (every index of jobs, the foreign-key checks of
  // the history rows), and the chunks cannot wait for each other: they hold different jobs, each
  // locks its own in id order, and the change-log lock comes last. SQLite has one writer.
  await Promise.all(Array.from({ length: storeKindOf(act.db) === 'postgres' ? PARALLEL_TRANSACTIONS : 1 }, patchNext));
  return { results: unique.map((jobId) => outcomes.get(jobId)!) };
}

/**
 * The guard a bulk act passes before planPatch: the job is still as the dispatcher saw it, the
 * act applies to it (shared bulk rule), and a job leaving an agent's list or under way was
 * confirmed. Checked on the locked row, so an agent's push that lands first is never overrun.
 */
function guardProblem(job: Job, action: BulkAction, seen: SeenJobs, names: ReadonlyMap<string, string>): { refusal: BulkRefusal; reason: string } | null {
  const nameOf = (id: string) => names.get(id) ?? 'another agent';
  const entry = seen.get(job.id);
  const changed = entry ? changedSinceWords({ status: entry.status, assignedAgentId: entry.agentId }, job, nameOf) : null;
  if (changed !== null) return { refusal: 'changed_meanwhile', reason: changed };
  const verdict = bulkVerdict(action, job);
  if (verdict.kind === 'skip') return { refusal: 'not_applicable', reason: skipWords(action, job, verdict.reason, nameOf) };
  if (verdict.kind === 'confirm' && !entry?.confirmed) {
    return { refusal: 'needs_confirmation', reason: `${standingWords(job, nameOf)}; moving it needs the dispatcher's confirmation` };
  }
  return null;
}

async function patchChunk(act: BulkAct, jobIds: readonly string[], action: BulkAction, seen: SeenJobs, patch: PatchJobRequest): Promise<Map<string, Results[number]>> {
  // Locked in id order, so two bulk edits over the same jobs wait for each other instead of
  // deadlocking, and each job's version moves by exactly one. SQLite has one writer anyway.
  if (storeKindOf(act.db) === 'postgres') {
    await act.db.selectFrom('jobs').select('id').where('id', 'in', [...jobIds]).orderBy('id').modifyEnd(sql`for update`).execute();
  }
  const jobs = await jobsRepository(act.db).findMany(jobIds);
  const names = await namesOf(act.db, [patch.assignedAgentId ?? null, ...[...jobs.values()].map((job) => job.assignedAgentId)]);
  const outcomes = new Map<string, Results[number]>();
  const refuse = (jobId: string, refusal: BulkRefusal, reason: string) => outcomes.set(jobId, { jobId, outcome: 'refused', reason, refusal, job: null });
  const activeAgents = new Map<string, ProblemError | null>();
  const planned: PlannedPatch[] = [];
  for (const jobId of jobIds) {
    const job = jobs.get(jobId);
    try {
      if (!job) throw problems.notFound('No job with this id.');
      const guard = guardProblem(job, action, seen, names);
      if (guard) {
        refuse(jobId, guard.refusal, guard.reason);
        continue;
      }
      const agent = agentToCheck(job, patch);
      if (agent !== null) {
        if (!activeAgents.has(agent)) activeAgents.set(agent, await agentProblem(act.db, agent));
        const problem = activeAgents.get(agent);
        if (problem) throw problem;
      }
      planned.push(planPatch(act, job, patch, names));
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      refuse(jobId, 'other', error.detail);
    }
  }
  await savePlanned(act, planned, patch);
  for (const { updated } of planned) outcomes.set(updated.id, { jobId: updated.id, outcome: 'done', reason: null, refusal: null, job: updated });
  return outcomes;
}

async function agentProblem(db: Kysely<Database>, agentId: string): Promise<ProblemError | null> {
  try {
    await requireActiveAgent(db, agentId);
    return null;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
}

/** The writes patchJob makes for one job, as one statement per kind for all of them. */
async function savePlanned(act: BulkAct, planned: readonly PlannedPatch[], patch: PatchJobRequest): Promise<void> {
  if (planned.length === 0) return;
  // A bulk patch changes only status and assignee (the request types have no other field), so
  // the jobs fall into a few groups that each take one UPDATE.
  const groups = new Map<string, Job[]>();
  for (const { updated } of planned) {
    const key = `${updated.status}\u0000${updated.assignedAgentId ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), updated]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    await act.db
      .updateTable('jobs')
      .set((eb) => ({ status: first.status, assigned_agent_id: first.assignedAgentId, updated_at: act.at, version: eb('version', '+', 1) }))
      .where('id', 'in', group.map((job) => job.id))
      .execute();
  }
  const moved = planned.filter(({ before, updated }) => before.assignedAgentId !== updated.assignedAgentId);
  const history = assignmentHistory(act.db);
  await history.recordMany(moved.map(({ before, updated }) => ({ jobId: updated.id, agentId: updated.assignedAgentId, previousAgentId: before.assignedAgentId, at: act.at, byUserId: act.userId })));
  await dispatchAudit(act.db).record(
    planned.map(({ before, updated, fields }) => ({
      at: act.at,
      userId: act.userId,
      action: 'job.changed',
      jobId: updated.id,
      detail: {
        fields,
        ...(patch.statusReason ? { reason: patch.statusReason } : {}),
        ...(before.assignedAgentId !== updated.assignedAgentId ? { fromAgentId: before.assignedAgentId, toAgentId: updated.assignedAgentId } : {}),
        ...(before.status !== updated.status ? { fromStatus: before.status, toStatus: updated.status } : {}),
        version: updated.version,
      },
    })),
  );
  const statusChanges = planned.flatMap(({ statusChange }) => (statusChange ? [{ change: statusChange, hlc: act.clock.now() }] : []));
  await jobHistoryRepository(act.db).recordStatusChanges(statusChanges);
  await publishJobWrites(
    act.db,
    planned.map(({ before, updated, statusChange }) => ({ job: updated, previousAgentId: before.assignedAgentId, jobRowChanged: true, statusChangeIds: statusChange ? [statusChange.id] : [] })),
  );
}

/** Assign (agentId), re-assign (another agentId) or unassign (null). */
export function assignJobs(act: BulkAct, request: AssignJobsRequest): Promise<BulkResult> {
  const action: BulkAction = request.agentId === null ? { kind: 'unassign' } : { kind: 'assign', agentId: request.agentId };
  return eachJob(act, request.jobIds, action, request.seen, { assignedAgentId: request.agentId });
}

/** Put on hold or cancel, always with a reason: a stale or cancelled order must say why. */
export function holdOrCancelJobs(act: BulkAct, request: HoldOrCancelRequest): Promise<BulkResult> {
  const action: BulkAction = request.status === 'on_hold' ? { kind: 'hold' } : { kind: 'cancel' };
  return eachJob(act, request.jobIds, action, request.seen, { status: request.status, statusReason: request.reason });
}
