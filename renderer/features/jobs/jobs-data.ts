import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import { localIsoDate } from '../../db/job-due';
import { selectJobIds, type JobListOrder } from '../../db/job-list-order';
import { searchPrefixes } from '../../db/search-words';
import type { JobListFilter, LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';
import { isDownloadingPages, useSyncStatus } from '../../sync/sync-status';

/**
 * The ids of the jobs the list shows, in order, live; `undefined` while loading. The order comes
 * from the indexes (no job row) and is read again only when the jobs change, so a sync page costs
 * two key reads and a few counts, not a re-read of every job; a filter is a slice of it, a search
 * a lookup in the words held in memory. The count is its length.
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
  const matching = useSearchMatches(search);
  return useMemo(
    () => (order === undefined || matching === undefined ? undefined : selectJobIds(order, { status, due }, matching)),
    [order, matching, status, due],
  );
}

/**
 * The ids a search finds: `null` when nothing is typed, `undefined` while the words are first
 * read into memory (once, when the list first shows). Answered in the render of the key press
 * itself, so no key waits for an earlier key's answer; asked again when a write changes some
 * job's words, so a job that arrives by sync and matches shows up.
 */
function useSearchMatches(search: string): Set<string> | null | undefined {
  const words = jobsRepository.searchWords;
  useEffect(() => words.start(), [words]);
  // With nothing typed a sync page's new words change nothing on screen: no redraw for them.
  const blank = searchPrefixes(search).length === 0;
  const subscribe = useCallback((redraw: () => void) => (blank ? () => undefined : words.subscribe(redraw)), [words, blank]);
  const version = useSyncExternalStore(subscribe, () => (blank ? 0 : words.getVersion()));
  return useMemo(() => words.idsMatching(search), [words, search, version]);
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
