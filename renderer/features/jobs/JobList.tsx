import { useEffect, useMemo, useRef, useState } from 'react';
import type { LocalJob } from '../../db/schema';
import { JobListRow } from './JobListRow';

/**
 * Rows drawn at first and added each time the end of the list comes into view. Drawing all of
 * an agent's 2,000 jobs on every key press took most of a second; the soonest-due jobs are at
 * the top, and the count line still says how many matched.
 */
export const JOB_LIST_PAGE_SIZE = 50;

interface JobListProps {
  jobs: LocalJob[] | undefined;
  selectedJobId: string | null;
  filtered: boolean;
  onOpen: (jobId: string) => void;
}

/** Give it a new `key` when the search or filters change, so a new result starts from its first rows. */
export function JobList({ jobs, selectedJobId, filtered, onOpen }: JobListProps) {
  const [shownCount, setShownCount] = useState(JOB_LIST_PAGE_SIZE);
  const showMoreRef = useRef<HTMLButtonElement>(null);
  // Overdue is judged once per result, so unchanged rows keep equal props and are not redrawn.
  const now = useMemo(() => new Date(), [jobs]);
  const total = jobs?.length ?? 0;
  const hidden = Math.max(0, total - shownCount);

  useEffect(() => {
    const button = showMoreRef.current;
    if (!button || hidden === 0) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) setShownCount((count) => count + JOB_LIST_PAGE_SIZE);
    });
    observer.observe(button);
    return () => observer.disconnect();
  }, [shownCount, hidden]);

  if (jobs === undefined) return <p className="list-message">Loading jobs…</p>;
  if (jobs.length === 0) {
    return (
      <p className="list-message">
        {filtered ? 'No jobs match this search.' : 'No jobs on this device yet. They arrive with the next sync.'}
      </p>
    );
  }
  return (
    <>
      <p className="list-count" aria-live="polite">
        {jobs.length} job{jobs.length === 1 ? '' : 's'}
      </p>
      <ul className="job-list" aria-label="Jobs">
        {jobs.slice(0, shownCount).map((job) => (
          <JobListRow key={job.id} job={job} now={now} selected={job.id === selectedJobId} onOpen={onOpen} />
        ))}
      </ul>
      {hidden > 0 ? (
        <button type="button" ref={showMoreRef} className="button-secondary job-list-more" onClick={() => setShownCount((count) => count + JOB_LIST_PAGE_SIZE)}>
          Show {Math.min(hidden, JOB_LIST_PAGE_SIZE)} more ({hidden} not shown)
        </button>
      ) : null}
    </>
  );
}
