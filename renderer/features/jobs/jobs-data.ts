import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import { filterJobs, type JobListFilter, type LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';

/**
 * The job list, live: it redraws when sync or a local write changes a row. `undefined` while
 * loading. IndexedDB is read only when the jobs change; a key press or a filter only filters the
 * jobs already in memory, which keeps search well under a frame at 2,000 jobs.
 */
export function useJobList(filter: JobListFilter): LocalJob[] | undefined {
  const jobs = useLiveQuery(() => jobsRepository.listJobs(), []);
  const { search, status, due } = filter;
  return useMemo(() => (jobs === undefined ? undefined : filterJobs(jobs, { search, status, due }, new Date())), [jobs, search, status, due]);
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
