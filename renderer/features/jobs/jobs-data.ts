import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import { localIsoDate } from '../../db/job-due';
import { selectJobIds, type JobListOrder } from '../../db/job-list-order';
import type { JobListFilter, LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';
import { isDownloadingPages, useSyncStatus } from '../../sync/sync-status';

/**
 * The ids of the jobs the list shows, in order, live; `undefined` while loading. The order comes
 * from the indexes (no job row) and is read again only when the jobs change, so a sync page costs
 * two key reads and a few counts, not a re-read of every job; a filter is a slice of it, a search
 * one words-index range. The count is its length.
 *
 * While a pull still has pages to come (isDownloadingPages), the list keeps the order it holds
 * and reads it once when the download ends. Read after every page, the order of 10,000 jobs cost
 * a first sync seconds, and each read held the next page's write back: IndexedDB runs a read of
 * the jobs and a write to them one after the other. A change the agent makes meanwhile shows in
 * its row at once (the rows stay live); only its place under a filter waits for the download.
 */
export function useJobListIds(filter: JobListFilter): string[] | undefined {
  const { search = '', status = 'all', due = 'all' } = filter;
  // A new day (the list left open overnight) reads the order again for its due filters.
  const today = localIsoDate(new Date());
  const downloading = useSyncStatus(isDownloadingPages);
  const held = useRef<JobListOrder | undefined>(undefined);
  // Returning the held order reads no table, so no page written meanwhile runs this again.
  const order = useLiveQuery(async () => {
    if (downloading && held.current) return held.current;
    held.current = await jobsRepository.readListOrder();
    return held.current;
  }, [today, downloading]);
  const matching = useSearchMatches(search, order);
  return useMemo(
    () => (order === undefined || matching === undefined ? undefined : selectJobIds(order, { status, due }, matching)),
    [order, matching, status, due],
  );
}

let latestSearch = '';
let searching: Promise<unknown> = Promise.resolve();

/**
 * One words-index read at a time, and only for the latest text: typing "rc01234" fast must not
 * queue seven reads of which the first ones ("r", "rc") are the longest. `null` when superseded.
 */
function matchLatest(search: string): Promise<{ ids: Set<string> | null } | null> {
  latestSearch = search;
  const run = searching.then(async () => (search === latestSearch ? { ids: await jobsRepository.idsMatching(search) } : null));
  searching = run.catch(() => undefined);
  return run;
}

/**
 * The ids a search finds: `null` when nothing is typed (no IndexedDB read at all), `undefined`
 * until the first answer. Asked again when the jobs change (the order is new), so a job that
 * arrives by sync and matches shows up. While typing, the previous word's answer stays until the
 * new one arrives.
 */
function useSearchMatches(search: string, order: unknown): Set<string> | null | undefined {
  const [found, setFound] = useState<{ search: string; ids: Set<string> | null }>();
  const blank = search.trim() === '';
  useEffect(() => {
    // A cleared search forgets its answer: the next search is read afresh, never a stale count.
    if (blank) {
      setFound(undefined);
      return;
    }
    let current = true;
    matchLatest(search).then(
      (answer) => {
        if (current && answer) setFound({ search, ids: answer.ids });
      },
      (error: unknown) => console.error('The job search could not read this device’s jobs.', error),
    );
    return () => {
      current = false;
    };
  }, [search, blank, order]);
  if (blank) return null;
  return found?.ids;
}

/** The rows on screen, live: only these are read from IndexedDB. `undefined` while loading. */
export function useJobRows(ids: readonly string[]): Map<string, LocalJob> | undefined {
  return useLiveQuery(async () => {
    const rows = await jobsRepository.getJobs(ids);
    return new Map(rows.filter((job): job is LocalJob => job !== undefined).map((job) => [job.id, job]));
  }, [ids.join('\n')]);
}

/** `undefined` while loading, `null` when the job is not (or no longer) on this device. */
export function useJobDetail(jobId: string): LocalJobDetail | null | undefined {
  return useLiveQuery(() => jobsRepository.getJobDetail(jobId), [jobId]);
}

export function changeJobStatus(jobId: string, to: JobStatus): Promise<JobStatusChange> {
  return jobsRepository.changeJobStatus(jobId, to);
}

export function addJobNote(jobId: string, text: string): Promise<JobNote> {
  return jobsRepository.addJobNote(jobId, text);
}
