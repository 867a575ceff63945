import { jobStatuses, jobStatusLabels } from '../../../shared/domain/job-status';
import type { DispatchData } from './use-dispatch-data';
import { agentName, isOverdue } from './dispatch-text';

/** Columns by status with counts; overdue cards stand out so they are dealt with first. */
export function StatusBoard({ data }: { readonly data: DispatchData }) {
  return (
    <section className="dispatch-panel" aria-labelledby="board-heading">
      <h2 id="board-heading">Status board</h2>
      {/* The board and each column scroll on their own; keyboard users scroll them once focused. */}
      <div className="status-board" tabIndex={0} role="group" aria-label="Columns by status">
        {jobStatuses.map((status) => {
          const jobs = data.jobs.filter((job) => job.status === status);
          const overdue = jobs.filter((job) => isOverdue(job)).length;
          return (
            <section key={status} className="board-column" aria-label={`${jobStatusLabels[status]}: ${jobs.length}`}>
              <h3>
                {jobStatusLabels[status]} <span className="board-count">{jobs.length}</span>
                {overdue > 0 ? <span className="board-overdue"> {overdue} overdue</span> : null}
              </h3>
              <ul tabIndex={0} aria-label={`${jobStatusLabels[status]} jobs`}>
                {jobs.slice(0, 50).map((job) => (
                  <li key={job.id} className={`board-card${isOverdue(job) ? ' is-overdue' : ''}`}>
                    <strong>{job.customer.name}</strong>
                    <span>{job.address.line1}</span>
                    <span className="muted">
                      {agentName(data.agents, job.assignedAgentId)} · due {job.dueDate ?? '—'}
                    </span>
                  </li>
                ))}
                {jobs.length > 50 ? <li className="muted">and {jobs.length - 50} more</li> : null}
              </ul>
            </section>
          );
        })}
      </div>
    </section>
  );
}
