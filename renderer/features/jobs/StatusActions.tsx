import { useState } from 'react';
import { actorForRole, allowedTransitions, type JobStatus } from '../../../shared/domain/job-status';
import type { Role } from '../../../shared/domain/roles';
import { isOfficeRole } from '../../../shared/domain/roles';
import { changeJobStatus } from './jobs-data';

interface StatusActionsProps {
  jobId: string;
  status: JobStatus;
  role: Role;
}

/** One button per transition the state machine allows this person; nothing else is offered. */
export function StatusActions({ jobId, status, role }: StatusActionsProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (isOfficeRole(role)) {
    return (
      <section aria-labelledby="actions-heading">
        <h3 id="actions-heading">Actions</h3>
        <p className="muted">Office changes to a job are made from the dispatch board; this list is read-only.</p>
      </section>
    );
  }

  const transitions = allowedTransitions(status, actorForRole(role));

  async function apply(to: JobStatus) {
    setBusy(true);
    setError(null);
    try {
      await changeJobStatus(jobId, to);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The change could not be saved.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="actions-heading">
      <h3 id="actions-heading">Actions</h3>
      {transitions.length === 0 ? (
        <p className="muted">Nothing to do from the field on this job now.</p>
      ) : (
        <div className="action-buttons">
          {transitions.map((rule) => (
            <button key={rule.to} type="button" className="button-primary" disabled={busy} onClick={() => void apply(rule.to)}>
              {rule.action}
            </button>
          ))}
        </div>
      )}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </section>
  );
}
