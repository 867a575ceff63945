import { useLiveQuery } from 'dexie-react-hooks';
import type { JobNote, JobStatusChange } from '../../../shared/domain/job';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository } from '../../app/local-database';
import type { JobListFilter, LocalJobDetail } from '../../db/jobs-repository';
import type { LocalJob } from '../../db/schema';

/** The job list, live: it redraws when sync or a local write changes a row. `undefined` while loading. */
export function useJobList(filter: JobListFilter): LocalJob[] | undefined {
  return useLiveQuery(() => jobsRepository.listJobs(filter), [filter.search, filter.status, filter.due]);
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
