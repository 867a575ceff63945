import { z } from 'zod';
import type { Role } from './roles';
import { isOfficeRole } from './roles';

/**
 * The life of a recovery job. `recovered` and `partially_recovered` are physical facts
 * recorded at the door; `attempted` means a visit ended without recovery and the job stays
 * open for another visit. `closed` and `cancelled` are terminal and belong to the office.
 */
export const jobStatuses = [
  'unassigned',
  'assigned',
  'en_route',
  'on_site',
  'attempted',
  'partially_recovered',
  'recovered',
  'on_hold',
  'cancelled',
  'closed',
] as const;
export const JobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatus>;

export const jobStatusLabels: Record<JobStatus, string> = {
  unassigned: 'Unassigned',
  assigned: 'Assigned',
  en_route: 'En route',
  on_site: 'On site',
  attempted: 'Attempted',
  partially_recovered: 'Partially recovered',
  recovered: 'Recovered',
  on_hold: 'On hold',
  cancelled: 'Cancelled',
  closed: 'Closed',
};

/** Who may make a transition: the agent in the field, or the office. */
export type TransitionActor = 'field' | 'office';

interface TransitionRule {
  readonly to: JobStatus;
  readonly by: TransitionActor;
  /** What the button says in the UI. */
  readonly action: string;
}

const rules: Readonly<Record<JobStatus, readonly TransitionRule[]>> = {
  unassigned: [
    { to: 'assigned', by: 'office', action: 'Assign' },
    { to: 'on_hold', by: 'office', action: 'Put on hold' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
  ],
  assigned: [
    { to: 'en_route', by: 'field', action: 'Start driving' },
    { to: 'on_site', by: 'field', action: 'Arrived on site' },
    { to: 'unassigned', by: 'office', action: 'Unassign' },
    { to: 'on_hold', by: 'office', action: 'Put on hold' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
  ],
  en_route: [
    { to: 'on_site', by: 'field', action: 'Arrived on site' },
    { to: 'assigned', by: 'field', action: 'Stop driving' },
    { to: 'on_hold', by: 'office', action: 'Put on hold' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
  ],
  on_site: [
    { to: 'recovered', by: 'field', action: 'All items recovered' },
    { to: 'partially_recovered', by: 'field', action: 'Some items recovered' },
    { to: 'attempted', by: 'field', action: 'Leave without recovery' },
    { to: 'on_hold', by: 'office', action: 'Put on hold' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
  ],
  attempted: [
    { to: 'en_route', by: 'field', action: 'Start driving' },
    { to: 'on_site', by: 'field', action: 'Arrived on site' },
    { to: 'unassigned', by: 'office', action: 'Unassign' },
    { to: 'on_hold', by: 'office', action: 'Put on hold' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
    { to: 'closed', by: 'office', action: 'Close job' },
  ],
  partially_recovered: [
    { to: 'en_route', by: 'field', action: 'Start driving' },
    { to: 'on_site', by: 'field', action: 'Arrived on site' },
    { to: 'closed', by: 'office', action: 'Close job' },
  ],
  recovered: [{ to: 'closed', by: 'office', action: 'Close job' }],
  on_hold: [
    { to: 'unassigned', by: 'office', action: 'Resume (unassigned)' },
    { to: 'assigned', by: 'office', action: 'Resume (assigned)' },
    { to: 'cancelled', by: 'office', action: 'Cancel job' },
  ],
  cancelled: [],
  closed: [],
};

export function actorForRole(role: Role): TransitionActor {
  return isOfficeRole(role) ? 'office' : 'field';
}

/** Every transition allowed from `from`, whoever makes it. */
export function transitionsFrom(from: JobStatus): readonly TransitionRule[] {
  return rules[from];
}

/** The transitions this actor may make from `from`: what the UI offers as buttons. */
export function allowedTransitions(from: JobStatus, actor: TransitionActor): readonly TransitionRule[] {
  return rules[from].filter((rule) => rule.by === actor);
}

export function canTransition(from: JobStatus, to: JobStatus, actor: TransitionActor): boolean {
  return rules[from].some((rule) => rule.to === to && rule.by === actor);
}

/**
 * Facts recorded in the field: the items physically changed hands. The sync merge rules never
 * reject these because the office changed the job meanwhile; they are kept and flagged.
 */
export function isFieldFact(to: JobStatus): boolean {
  return to === 'recovered' || to === 'partially_recovered';
}

export function isTerminal(status: JobStatus): boolean {
  return rules[status].length === 0;
}

/** Open jobs are the ones an agent still has work on. */
export function isOpenForField(status: JobStatus): boolean {
  return ['assigned', 'en_route', 'on_site', 'attempted', 'partially_recovered'].includes(status);
}

export type TransitionDecision =
  | { readonly kind: 'apply' }
  | { readonly kind: 'apply-flagged'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

/**
 * Decides what the server does with a status change that arrives by sync. `current` is the
 * status the server holds now; `from` is the status the client saw when it made the change.
 */
export function decideTransition(
  current: JobStatus,
  change: { readonly from: JobStatus; readonly to: JobStatus },
  actor: TransitionActor,
): TransitionDecision {
  if (canTransition(current, change.to, actor)) {
    if (current !== change.from && isFieldFact(change.to)) {
      return {
        kind: 'apply-flagged',
        reason: `Recorded in the field as ${jobStatusLabels[change.to]} while the job was ${jobStatusLabels[current]} on the server.`,
      };
    }
    return { kind: 'apply' };
  }
  if (actor === 'field' && isFieldFact(change.to)) {
    return {
      kind: 'apply-flagged',
      reason: `Items were recorded as ${jobStatusLabels[change.to].toLowerCase()} in the field after the office moved the job to ${jobStatusLabels[current]}; review it.`,
    };
  }
  return {
    kind: 'reject',
    reason: `A job that is ${jobStatusLabels[current]} cannot become ${jobStatusLabels[change.to]}${actor === 'field' ? ' from the field' : ' from the office'}.`,
  };
}
