import { useSignedInSession } from '../auth/session-store';
import { JobDetailPanel } from './JobDetailPanel';
import { JobFilters } from './JobFilters';
import { JobList } from './JobList';
import { useJobListIds } from './jobs-data';
import { useJobsView } from './jobs-view-store';

/** The agent's day: the job list on the left, the open job on the right. */
export function JobsWorkspace() {
  const { filters, setFilters, selectedJobId, setSelectedJobId } = useJobsView(useSignedInSession().user.id);
  // The filters are index ranges and the list draws only the rows in view, so the result can
  // follow each key press at once; deferring it only made it a frame late.
  const ids = useJobListIds(filters);
  const filtered = filters.search.trim() !== '' || filters.status !== 'all' || filters.due !== 'all';

  return (
    <div className={`workspace${selectedJobId ? ' has-selection' : ''}`}>
      <section className="workspace-list" aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <JobFilters value={filters} onChange={setFilters} />
        <JobList resultKey={`${filters.search}\n${filters.status}\n${filters.due}`} ids={ids} selectedJobId={selectedJobId} filtered={filtered} onOpen={setSelectedJobId} />
      </section>
      <section className="workspace-detail" aria-label="Job detail">
        {selectedJobId ? (
          <>
            <button type="button" className="button-link back-to-list" onClick={() => setSelectedJobId(null)}>
              ← Back to jobs
            </button>
            <JobDetailPanel jobId={selectedJobId} />
          </>
        ) : (
          <p className="list-message">Choose a job to see its details.</p>
        )}
      </section>
    </div>
  );
}
