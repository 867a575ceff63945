import { useState } from 'react';
import type { Job } from '../../../shared/domain/job';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import type { DispatchData } from './use-dispatch-data';
import { agentName } from './dispatch-text';
import { useJobPage } from './office-jobs-data';
import { Pager, pageParams, usePagePlace } from './Pager';

const PAGE_SIZE = 50;

/** Jobs the sync merge rules flagged, newest change first; clearing one is recorded with who and when. */
export function ReviewInbox({ data, canClear }: { readonly data: DispatchData; readonly canClear: boolean }) {
  const { place, setPlace } = usePagePlace();
  const [error, setError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const inbox = useJobPage(data.client, `flagged=true&sort=updated&dir=desc&${pageParams(place, PAGE_SIZE).toString()}`, data.version);
  const jobs = inbox.value?.jobs ?? null;

  const clear = async (job: Job) => {
    try {
      await data.client.clearReview(job.id, notes[job.id] ?? '');
      setError(null);
      await data.refresh();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <section className="dispatch-panel" aria-labelledby="review-heading">
      <h2 id="review-heading">Review inbox</h2>
      {error ?? inbox.error ? <p className="form-error" role="alert">{error ?? inbox.error}</p> : null}
      {jobs === null ? <p className="list-message">Loading…</p> : null}
      {jobs?.length === 0 ? <p className="list-message">Nothing to review. Jobs land here when work from the field meets an office change; the sync keeps both and asks you here.</p> : null}
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
      {inbox.value && inbox.value.total > PAGE_SIZE ? <Pager place={place} pageSize={PAGE_SIZE} page={inbox.value} onPlace={setPlace} label="Review inbox pages" /> : null}
    </section>
  );
}
