import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import { selectJobIds } from '../../db/job-list-order';
import type { JobListFilter, LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';

/**
 * The ids of the jobs the list shows, in order, live; `undefined` while loading. The order comes
 * from index keys (no job row) and is read again only when the jobs change, so a sync page costs
 * a key read, not a re-read of every job; a filter is a slice of it, a search one words-index
 * range. The count is its length.
 */
export function useJobListIds(filter: JobListFilter): string[] | undefined {
  const { search = '', status = 'all', due = 'all' } = filter;
  const order = useLiveQuery(() => jobsRepository.readListOrder(), []);
  const found = useLiveQuery(() => jobsRepository.idsMatching(search), [search]);
  // Nothing typed needs no answer from IndexedDB: clearing the search shows every job at once.
  const matching = search.trim() === '' ? null : found;
  return useMemo(
    () => (order === undefined || matching === undefined ? undefined : selectJobIds(order, { status, due }, new Date(), matching)),
    [order, matching, status, due],
  );
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
