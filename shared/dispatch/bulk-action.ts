import { canTransition, jobStatusLabels, type JobStatus } from '../domain/job-status';

/**
 * Which jobs a bulk act of the office applies to, and which need the dispatcher's confirmation
 * first. The list, the map and the server all ask this one rule, so what the confirmation says
 * is what the server will do, and the server refuses what nobody confirmed.
 */

/** What a bulk act needs to know of a job: what both the list's rows and the map's points carry. */
export interface BulkJob {
  readonly id: string;
  readonly status: JobStatus;
  readonly assignedAgentId: string | null;
}

export type BulkAction =
  | { readonly kind: 'assign'; readonly agentId: string }
  | { readonly kind: 'unassign' }
  | { readonly kind: 'hold' }
  | { readonly kind: 'cancel' };

/**
 * Under way: the agent is driving to the door, is at it, or holds part of the items. Moving such
 * a job sends someone in the field to a door that is no longer theirs (the finding: a
 * partly recovered job was taken from the agent working it).
 */
export function isUnderWay(status: JobStatus): boolean {
  return status === 'en_route' || status === 'on_site' || status === 'partially_recovered';
}

/**
 * Finished for the office: no bulk act applies (closed, cancelled, or every item back). A box or
 * "select all" leaves these out of the selection and says so, instead of carrying them along to
 * be refused one by one.
 */
export function isFinished(status: JobStatus): boolean {
  return status === 'closed' || status === 'cancelled' || status === 'recovered';
}

export type SkipReason =
  /** The job's status does not allow this act (Closed, Recovered, already On hold…). */
  | 'status'
  /** Assigning it to the agent whose list it is already on. */
  | 'already-theirs'
  /** Unassigning a job nobody has. */
  | 'nobody-on-it'
  /** Unassigning a job under way would leave a van at a door with nobody responsible for it. */
  | 'under-way';

export type ConfirmReason =
  /** It leaves the list of the agent who has it. */
  | 'takes-from-agent'
  /** It is under way in the field. */
  | 'under-way';

export type BulkVerdict =
  | { readonly kind: 'apply' }
  | { readonly kind: 'confirm'; readonly reason: ConfirmReason }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

/** Statuses a bulk assignment leaves alone: finished work, and held jobs (resume them first). */

export function bulkVerdict(action: BulkAction, job: BulkJob): BulkVerdict {
  switch (action.kind) {
    case 'assign':
      if (isFinished(job.status) || job.status === 'on_hold') return skip('status');
      if (job.assignedAgentId === action.agentId) return skip('already-theirs');
      if (isUnderWay(job.status)) return confirm('under-way');
      return job.assignedAgentId === null ? { kind: 'apply' } : confirm('takes-from-agent');
    case 'unassign':
      if (isFinished(job.status)) return skip('status');
      if (isUnderWay(job.status)) return skip('under-way');
      return job.assignedAgentId === null ? skip('nobody-on-it') : confirm('takes-from-agent');
    case 'hold':
    case 'cancel': {
      const to = action.kind === 'hold' ? 'on_hold' : 'cancelled';
      if (!canTransition(job.status, to, 'office')) return skip('status');
      if (isUnderWay(job.status)) return confirm('under-way');
      return job.assignedAgentId === null ? { kind: 'apply' } : confirm('takes-from-agent');
    }
  }
}

function skip(reason: SkipReason): BulkVerdict {
  return { kind: 'skip', reason };
}

function confirm(reason: ConfirmReason): BulkVerdict {
  return { kind: 'confirm', reason };
}

/** A selection sorted by the rule: what goes ahead as is, what needs a yes, what is left out. */
export interface BulkPlan<J extends BulkJob> {
  readonly apply: readonly J[];
  readonly confirm: readonly { readonly job: J; readonly reason: ConfirmReason }[];
  readonly skip: readonly { readonly job: J; readonly reason: SkipReason }[];
}

export function planBulk<J extends BulkJob>(action: BulkAction, jobs: readonly J[]): BulkPlan<J> {
  const plan: { apply: J[]; confirm: { job: J; reason: ConfirmReason }[]; skip: { job: J; reason: SkipReason }[] } = { apply: [], confirm: [], skip: [] };
  for (const job of jobs) {
    const verdict = bulkVerdict(action, job);
    if (verdict.kind === 'apply') plan.apply.push(job);
    else if (verdict.kind === 'confirm') plan.confirm.push({ job, reason: verdict.reason });
    else plan.skip.push({ job, reason: verdict.reason });
  }
  return plan;
}

/** The act as a verb for people: "assigned", "put on hold". */
export function bulkActionWords(action: BulkAction): string {
  return { assign: 'assigned', unassign: 'unassigned', hold: 'put on hold', cancel: 'cancelled' }[action.kind];
}

/**
 * Why a job was left out, in words that group well: jobs with the same words are listed under
 * one line ("Closed — cannot be assigned: Ana Ruiz, Ben Cole").
 */
export function skipWords(action: BulkAction, job: BulkJob, reason: SkipReason, nameOf: (agentId: string) => string): string {
  switch (reason) {
    case 'status':
      return `${jobStatusLabels[job.status]} — cannot be ${bulkActionWords(action)}`;
    case 'already-theirs':
      return `already on ${nameOf(job.assignedAgentId ?? '')}'s list`;
    case 'nobody-on-it':
      return 'not assigned to anyone';
    case 'under-way':
      return `${jobStatusLabels[job.status]} — under way; put it on hold to stop the work`;
  }
}

/** Where a job stands, for people: "En route with Marcus Bell", "Unassigned". */
export function standingWords(job: Pick<BulkJob, 'status' | 'assignedAgentId'>, nameOf: (agentId: string) => string): string {
  const label = jobStatusLabels[job.status];
  if (job.assignedAgentId === null) return label;
  return `${label} ${job.status === 'assigned' ? 'to' : 'with'} ${nameOf(job.assignedAgentId)}`;
}

/**
 * What changed between what the dispatcher saw and what the job is now, in words; null when
 * nothing that matters to a bulk act did. "Started meanwhile" is the case the guard exists for.
 */
export function changedSinceWords(seen: Pick<BulkJob, 'status' | 'assignedAgentId'>, now: Pick<BulkJob, 'status' | 'assignedAgentId'>, nameOf: (agentId: string) => string): string | null {
  if (seen.status === now.status && seen.assignedAgentId === now.assignedAgentId) return null;
  const standing = standingWords(now, nameOf);
  if (!isUnderWay(seen.status) && isUnderWay(now.status)) return `started meanwhile (now ${standing})`;
  if (seen.assignedAgentId !== now.assignedAgentId) return `moved meanwhile (now ${standing})`;
  return `changed meanwhile (now ${standing})`;
}
