import { jobStatuses, type JobStatus } from '../../shared/domain/job-status';
import { localIsoDate, type DueFilter } from './job-due';
import { doneStatuses, dueRange, HIGH, type JobListFilter } from './job-list-query';
import type { ReclaimDatabase } from './schema';

/**
 * The job list's order, read once per change of the jobs table and kept in memory, so a status
 * or due filter is a slice of it and a key press costs no IndexedDB round trip; a search is
 * answered by the words held in memory (SearchWordsMirror). The same answer as jobIdsInWorkOrder, which the tests hold it to.
 *
 * It is read from the indexes' primary keys (IDBIndex.getAllKeys: one request each) and counts,
 * never by walking a cursor over the index keys: a cursor is one IndexedDB event per job, and a
 * first sync re-read it after every page (10,000 jobs: seconds of the sync). The due filters'
 * edges are counted for the day the order is read for (`day`); read it again on a new day.
 */
export interface JobListOrder {
  /** The local day (YYYY-MM-DD) the due filters were judged for. */
  day: string;
  /** Every job id in list order (listKey). */
  all: string[];
  /** Each status's job ids in list order. */
  byStatus: ReadonlyMap<JobStatus, string[]>;
  /** Each id's place in `all`. */
  place: ReadonlyMap<string, number>;
  /** Each due filter's slice of `all` on that day, [from, to): list keys start with the due date. */
  dueSlices: Readonly<Record<Exclude<DueFilter, 'all'>, readonly [number, number]>>;
  /** Jobs in a done status (recovered, closed, cancelled): never overdue. */
  done: ReadonlySet<string>;
}

const datedFilters = ['overdue', 'today', 'week'] as const;
/** IndexedDB orders [status+listKey] by the status's code units, as a plain sort does. */
const statusesInIndexOrder = [...jobStatuses].sort();

export async function readJobListOrder(db: ReclaimDatabase, now: Date): Promise<JobListOrder> {
  const edges = datedFilters.map((due) => dueRange(due, now));
  const [all, grouped, counts, below] = await db.transaction('r', db.jobs, () =>
    Promise.all([
      db.jobs.orderBy('listKey').primaryKeys(),
      db.jobs.orderBy('[status+listKey]').primaryKeys(),
      Promise.all(statusesInIndexOrder.map((status) => db.jobs.where('[status+listKey]').between([status, ''], [status, HIGH], true, false).count())),
      Promise.all(edges.map((range) => Promise.all(range.map((key) => db.jobs.where('listKey').below(key).count())))),
    ]),
  );
  const byStatus = new Map<JobStatus, string[]>();
  let start = 0;
  statusesInIndexOrder.forEach((status, index) => {
    const count = counts[index] ?? 0;
    if (count > 0) byStatus.set(status, grouped.slice(start, start + count));
    start += count;
  });
  const place = new Map<string, number>();
  all.forEach((id, index) => place.set(id, index));
  const slice = (index: number): [number, number] => [below[index]?.[0] ?? 0, below[index]?.[1] ?? 0];
  return {
    day: localIsoDate(now),
    all,
    byStatus,
    place,
    dueSlices: { overdue: slice(0), today: slice(1), week: slice(2) },
    done: new Set(doneStatuses.flatMap((status) => byStatus.get(status) ?? [])),
  };
}

/** The first index in `ids` (a run in list order) whose place in the whole list is not below `place`. */
function firstAtOrAfter(ids: readonly string[], placeOf: ReadonlyMap<string, number>, place: number): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((placeOf.get(ids[middle] ?? '') ?? 0) < place) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The ids the list shows, in order: a slice of the order, less what the search did not find.
 * Due filters are judged for the day the order was read (JobListOrder.day).
 */
export function selectJobIds(order: JobListOrder, filter: JobListFilter, matching: ReadonlySet<string> | null): string[] {
  const status = filter.status ?? 'all';
  const due = filter.due ?? 'all';
  if (due === 'overdue' && status !== 'all' && doneStatuses.includes(status)) return [];
  const source = status === 'all' ? order.all : order.byStatus.get(status);
  if (!source) return [];
  let slice = source;
  if (due !== 'all') {
    const [from, to] = order.dueSlices[due];
    // A status's run is in list order too, so the whole list's edges fall in it by place.
    slice = status === 'all' ? source.slice(from, to) : source.slice(firstAtOrAfter(source, order.place, from), firstAtOrAfter(source, order.place, to));
  }
  const dropDone = due === 'overdue' && status === 'all';
  if (matching === null && !dropDone) return slice;
  return slice.filter((id) => (matching === null || matching.has(id)) && !(dropDone && order.done.has(id)));
}
