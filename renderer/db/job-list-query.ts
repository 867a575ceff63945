import type { JobStatus } from '../../shared/domain/job-status';
import { endOfWeek, localIsoDate, type DueFilter } from './job-due';
import type { ReclaimDatabase } from './schema';
import { matchesSearchPrefixes, searchPrefixes } from './search-words';

export interface JobListFilter {
  search?: string;
  status?: JobStatus | 'all';
  due?: DueFilter;
}

export const doneStatuses: readonly JobStatus[] = ['recovered', 'closed', 'cancelled'];
/** Above every list key (they are printable text). */
export const HIGH = '\uffff';

/** The listKey range a due filter covers: list keys start with the due date. */
export function dueRange(due: DueFilter, now: Date): [string, string] {
  const today = localIsoDate(now);
  switch (due) {
    case 'all':
      return ['', HIGH];
    case 'overdue':
      return ['', today];
    case 'today':
      return [today, `${today}${HIGH}`];
    case 'week':
      return [today, `${endOfWeek(now)}${HIGH}`];
  }
}

/** Ids in list order within one listKey range, through [status+listKey] when a status is chosen. */
function idsInRange(db: ReclaimDatabase, status: JobStatus | 'all', [low, high]: [string, string]): Promise<string[]> {
  if (status === 'all') return db.jobs.where('listKey').between(low, high, true, false).primaryKeys();
  return db.jobs.where('[status+listKey]').between([status, low], [status, high], true, false).primaryKeys();
}

/**
 * The ids of jobs with a word starting with every prefix, read from the rows: the definition the
 * words held in memory (SearchWordsMirror, which the job list uses) are held to, and the answer
 * for callers that are not typing (a plan, an export). There is no words index on disk: it cost a
 * first sync more than a scan ever costs these callers.
 */
export async function idsMatching(db: ReclaimDatabase, prefixes: readonly string[]): Promise<Set<string> | null> {
  if (prefixes.length === 0) return null;
  const matching = await db.jobs.filter((job) => matchesSearchPrefixes(job.searchWords, prefixes)).primaryKeys();
  return new Set(matching);
}

/**
 * The ids of the jobs the list shows, in its order (see jobListKey), read from indexes only: the
 * status and due filters are one range of listKey or [status+listKey], a search reads the rows
 * (see idsMatching). The list then reads only the rows on screen.
 */
export async function jobIdsInWorkOrder(db: ReclaimDatabase, filter: JobListFilter, now: Date): Promise<string[]> {
  const status = filter.status ?? 'all';
  const due = filter.due ?? 'all';
  // Overdue means still something to recover.
  if (due === 'overdue' && status !== 'all' && doneStatuses.includes(status)) return [];
  const range = dueRange(due, now);
  const [ordered, matching, done] = await Promise.all([
    idsInRange(db, status, range),
    idsMatching(db, searchPrefixes(filter.search ?? '')),
    due === 'overdue' && status === 'all' ? Promise.all(doneStatuses.map((doneStatus) => idsInRange(db, doneStatus, range))) : Promise.resolve([]),
  ]);
  const leftOut = new Set(done.flat());
  if (matching === null && leftOut.size === 0) return ordered;
  return ordered.filter((id) => (matching === null || matching.has(id)) && !leftOut.has(id));
}
