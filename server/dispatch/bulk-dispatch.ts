import type { Kysely } from 'kysely';
import type { AssignJobsRequest, BulkResult, HoldOrCancelRequest } from '../../shared/dispatch/dispatch-api';
import type { HybridLogicalClock } from '../../shared/sync/hlc';
import { ProblemError } from '../http/problem';
import { patchJob } from '../jobs/dispatch';
import type { Database } from '../store/schema';

export interface BulkAct {
  readonly db: Kysely<Database>;
  readonly userId: string;
  readonly at: string;
  readonly clock: HybridLogicalClock;
}

type Results = BulkResult['results'];

/**
 * One job or many, each in its own transaction: one job that cannot move (already closed,
 * changed meanwhile) is reported and does not undo the others the dispatcher selected.
 * Every job goes through patchJob, so the state machine, the audit line and the agents'
 * change log are the same as for a single edit.
 */
async function eachJob(act: BulkAct, jobIds: readonly string[], change: Parameters<typeof patchJob>[2]): Promise<BulkResult> {
  const results: Results = [];
  for (const jobId of new Set(jobIds)) {
    try {
      const job = await act.db.transaction().execute((trx) => patchJob({ db: trx, userId: act.userId, at: act.at, clock: act.clock }, jobId, change));
      results.push({ jobId, outcome: 'done', reason: null, job });
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      results.push({ jobId, outcome: 'refused', reason: error.detail, job: null });
    }
  }
  return { results };
}

/** Assign (agentId), re-assign (another agentId) or unassign (null). */
export function assignJobs(act: BulkAct, request: AssignJobsRequest): Promise<BulkResult> {
  return eachJob(act, request.jobIds, { assignedAgentId: request.agentId });
}

/** Put on hold or cancel, always with a reason: a stale or cancelled order must say why. */
export function holdOrCancelJobs(act: BulkAct, request: HoldOrCancelRequest): Promise<BulkResult> {
  return eachJob(act, request.jobIds, { status: request.status, statusReason: request.reason });
}
