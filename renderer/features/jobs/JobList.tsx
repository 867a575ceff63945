import type { LocalJob } from '../../db/schema';
import { JobListRow } from './JobListRow';

interface JobListProps {
  jobs: LocalJob[] | undefined;
  selectedJobId: string | null;
  filtered: boolean;
  onOpen: (jobId: string) => void;
}

export function JobList({ jobs, selectedJobId, filtered, onOpen }: JobListProps) {
  if (jobs === undefined) return <p className="list-message">Loading jobs…</p>;
  if (jobs.length === 0) {
    return (
      <p className="list-message">
        {filtered ? 'No jobs match this search.' : 'No jobs on this device yet. They arrive with the next sync.'}
      </p>
    );
  }
  const now = new Date();
  return (
    <>
      <p className="list-count" aria-live="polite">
        {jobs.length} job{jobs.length === 1 ? '' : 's'}
      </p>
      <ul className="job-list" aria-label="Jobs">
        {jobs.map((job) => (
          <JobListRow key={job.id} job={job} now={now} selected={job.id === selectedJobId} onOpen={onOpen} />
        ))}
      </ul>
    </>
  );
}
