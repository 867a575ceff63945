import type { JobSortKey, SortDirection } from '../../../shared/api/job-query';
import { openJobStatuses } from '../../../shared/api/job-query';
import type { Priority } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';

/** The office table's filters as the dispatcher sets them; the server applies them all. */
export interface OfficeFilter {
  readonly status: JobStatus | '';
  /** An agent's id, "none" for nobody's jobs, or "" for everyone's. */
  readonly agent: string;
  readonly clientId: string;
  readonly priority: Priority | '';
  readonly due: '' | 'overdue' | 'today' | 'week' | 'none';
  readonly q: string;
}

export interface OfficeSort {
  readonly key: JobSortKey;
  readonly dir: SortDirection;
}

export const noFilter: OfficeFilter = { status: '', agent: '', clientId: '', priority: '', due: '', q: '' };

export function isFiltered(filter: OfficeFilter): boolean {
  return Object.values(filter).some((value) => value !== '');
}

/** The office's own calendar date: "overdue" and "today" are the dispatcher's days. */
export function localDate(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days);
  return next;
}

/** The filter as the server's query parameters (shared/api/job-query.ts). */
export function filterParams(filter: OfficeFilter, now: Date = new Date()): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.agent) params.set('assignedAgentId', filter.agent);
  if (filter.clientId) params.set('clientId', filter.clientId);
  if (filter.priority) params.set('priority', filter.priority);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  const today = localDate(now);
  if (filter.due === 'overdue') {
    params.set('dueTo', localDate(addDays(now, -1)));
    // Overdue means still to be worked; the status menu offers only open statuses beside it.
    if (!filter.status) params.set('status', openJobStatuses.join(','));
  }
  if (filter.due === 'today') {
    params.set('dueFrom', today);
    params.set('dueTo', today);
  }
  if (filter.due === 'week') {
    params.set('dueFrom', today);
    params.set('dueTo', localDate(addDays(now, 6)));
  }
  if (filter.due === 'none') params.set('dueNone', 'true');
  return params;
}

/** The filter, the order and where the page starts (Pager's pageParams: a cursor, or the end). */
export function listQueryString(filter: OfficeFilter, sort: OfficeSort, page: URLSearchParams): string {
  const params = filterParams(filter);
  params.set('sort', sort.key);
  params.set('dir', sort.dir);
  for (const [name, value] of page) params.set(name, value);
  return params.toString();
}

export function countsQueryString(filter: OfficeFilter): string {
  const params = filterParams(filter);
  params.set('today', localDate());
  return params.toString();
}
