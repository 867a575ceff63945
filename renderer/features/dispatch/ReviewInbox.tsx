import { useEffect, useState } from 'react';
import type { Job } from '../../../shared/domain/job';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import type { DispatchData } from './use-dispatch-data';
import { agentName } from './dispatch-text';

/** Jobs the sync merge rules flagged; clearing one is recorded with who and when. */
export function ReviewInbox({ data, canClear }: { readonly data: DispatchData; readonly canClear: boolean }) {
  const [jobs, setJobs] = useState<readonly Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const load = async () => {
    try {
      setJobs((await data.client.reviewInbox()).jobs);
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  // The list follows the live feed through data.jobs: any job change reloads the inbox.
  useEffect(() => {
    void load();
  }, [data.jobs]);

  const clear = async (job: Job) => {
    try {
      await data.client.clearReview(job.id, notes[job.id] ?? '');
      await data.refresh();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="dispatch-panel" aria-labelledby="review-heading">
      <h2 id="review-heading">Review inbox</h2>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      {jobs === null ? <p className="list-message">Loading…</p> : null}
      {jobs?.length === 0 ? <p className="list-message">Nothing to review.</p> : null}
      {!canClear && jobs?.length ? <p className="muted">A dispatcher clears these once the job is put right.</p> : null}
      <ul className="review-list">
        {jobs?.map((job) => (
          <li key={job.id} className="review-item">
            <div>
              <strong>{job.customer.name}</strong> · {job.clientName} <span className="monospace">{job.accountRef}</span> · {jobStatusLabels[job.status]} · {agentName(data.agents, job.assignedAgentId)}
            </div>
            <p className="review-reason">{job.reviewReason}</p>
            {canClear ? (
              <div className="dispatch-toolbar">
                <input type="text" placeholder="What you did (optional)" aria-label={`Note for ${job.customer.name}`} value={notes[job.id] ?? ''} onChange={(event) => setNotes({ ...notes, [job.id]: event.target.value })} />
                <button type="button" className="button-secondary" onClick={() => void clear(job)}>
                  Mark reviewed
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
