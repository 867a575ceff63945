import type { Job } from '../../shared/domain/job';

const priorityRank = { urgent: 0, high: 1, normal: 2, low: 3 } as const;
/** Sorts after every real date, so undated jobs come last. */
export const UNDATED = '9999-12-31';

/** Case and accents folded, so "Élodie" sorts with "Elodie" by plain string order. */
function folded(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The job list's order as one string, stored on each job and indexed (alone and after the
 * status), so the list, its filters and its count are index ranges read in order instead of
 * every job sorted in memory: soonest due first (undated last), then the most pressing, then by
 * customer, then by id so equal jobs keep one order. It starts with the due date, so a due
 * filter is a range of it.
 */
export function jobListKey(job: Pick<Job, 'id' | 'dueDate' | 'priority' | 'customer'>): string {
  return `${job.dueDate ?? UNDATED} ${priorityRank[job.priority]} ${folded(job.customer.name)}\u0000${job.id}`;
}
