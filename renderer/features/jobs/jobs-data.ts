import { useLiveQuery } from 'dexie-react-hooks';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import type { JobListFilter, LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';

/**
 * The ids of the jobs the list shows, in order, live; `undefined` while loading. Read from
 * indexes only (no job row), so a sync page written meanwhile costs a key range, not a re-read
 * of every job. The count is its length.
 */
export function useJobListIds(filter: JobListFilter): string[] | undefined {
  const { search = '', status = 'all', due = 'all' } = filter;
  return useLiveQuery(() => jobsRepository.listJobIds({ search, status, due }), [search, status, due]);
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
