import type { JobStatus } from '../../shared/domain/job-status';

export const dueFilters = ['all', 'overdue', 'today', 'week'] as const;
export type DueFilter = (typeof dueFilters)[number];

const doneStatuses: readonly JobStatus[] = ['recovered', 'closed', 'cancelled'];

/** The calendar date on this device as YYYY-MM-DD, the same form as a job's due date. */
export function localIsoDate(at: Date): string {
  const month = String(at.getMonth() + 1).padStart(2, '0');
  const day = String(at.getDate()).padStart(2, '0');
  return `${at.getFullYear()}-${month}-${day}`;
}

/** The Sunday that ends the week of `at` (weeks run Monday to Sunday). */
export function endOfWeek(at: Date): string {
  const daysToSunday = (7 - at.getDay()) % 7;
  return localIsoDate(new Date(at.getFullYear(), at.getMonth(), at.getDate() + daysToSunday));
}

/** Overdue only while there is still something to recover. */
export function isOverdue(job: { dueDate: string | null; status: JobStatus }, now: Date): boolean {
  return job.dueDate !== null && job.dueDate < localIsoDate(now) && !doneStatuses.includes(job.status);
}

export function matchesDue(job: { dueDate: string | null; status: JobStatus }, due: DueFilter, now: Date): boolean {
  const today = localIsoDate(now);
  switch (due) {
    case 'all':
      return true;
    case 'overdue':
      return isOverdue(job, now);
    case 'today':
      return job.dueDate === today;
    case 'week':
      return job.dueDate !== null && job.dueDate >= today && job.dueDate <= endOfWeek(now);
  }
}
