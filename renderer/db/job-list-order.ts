import type { JobStatus } from '../../shared/domain/job-status';
import { doneStatuses, dueRange, type JobListFilter } from './job-list-query';
import type { ReclaimDatabase } from './schema';

/** Ids in list order with their list keys, side by side. */
interface Ordered {
  keys: string[];
  ids: string[];
}

/**
 * The job list's order as the [status+listKey] index holds it, read once per change of the jobs
 * table (keys only, no job row) and kept in memory, so a status or due filter is two binary
 * searches in it and a key press costs no IndexedDB round trip; only a search asks the words
 * index. The same answer as jobIdsInWorkOrder, which the tests hold it to.
 */
export interface JobListOrder {
  all: Ordered;
  byStatus: ReadonlyMap<JobStatus, Ordered>;
  statusOf: ReadonlyMap<string, JobStatus>;
}

export async function readJobListOrder(db: ReclaimDatabase): Promise<JobListOrder> {
  const [keys, ids] = await db.transaction('r', db.jobs, () =>
    Promise.all([db.jobs.orderBy('[status+listKey]').keys() as Promise<unknown[]>, db.jobs.orderBy('[status+listKey]').primaryKeys()]),
  );
  const byStatus = new Map<JobStatus, Ordered>();
  const statusOf = new Map<string, JobStatus>();
  const pairs: [string, string][] = [];
  keys.forEach((key, index) => {
    const [status, listKey] = key as [JobStatus, string];
    const id = ids[index] ?? '';
    let segment = byStatus.get(status);
    if (!segment) byStatus.set(status, (segment = { keys: [], ids: [] }));
    segment.keys.push(listKey);
    segment.ids.push(id);
    statusOf.set(id, status);
    pairs.push([listKey, id]);
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { all: { keys: pairs.map((pair) => pair[0]), ids: pairs.map((pair) => pair[1]) }, byStatus, statusOf };
}

/** The first index whose key is not below `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] ?? '') < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The ids the list shows, in order: a slice of the order, less what the search did not find. */
export function selectJobIds(order: JobListOrder, filter: JobListFilter, now: Date, matching: ReadonlySet<string> | null): string[] {
  const status = filter.status ?? 'all';
  const due = filter.due ?? 'all';
  if (due === 'overdue' && status !== 'all' && doneStatuses.includes(status)) return [];
  const source = status === 'all' ? order.all : order.byStatus.get(status);
  if (!source) return [];
  const [low, high] = dueRange(due, now);
  const slice = source.ids.slice(lowerBound(source.keys, low), lowerBound(source.keys, high));
  const dropDone = due === 'overdue' && status === 'all';
  if (matching === null && !dropDone) return slice;
  return slice.filter((id) => (matching === null || matching.has(id)) && !(dropDone && doneStatuses.includes(order.statusOf.get(id) ?? 'assigned')));
}
