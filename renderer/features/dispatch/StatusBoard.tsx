import type { JobStatus } from '../../../shared/domain/job-status';
import { jobStatuses, jobStatusLabels } from '../../../shared/domain/job-status';
import { agentName, isOverdue } from './dispatch-text';
import { useJobCounts, useJobPage } from './office-jobs-data';
import { countsQueryString, noFilter } from './office-query';
import type { DispatchData } from './use-dispatch-data';

const CARDS_PER_COLUMN = 20;

function BoardColumn({ data, status, count, overdue }: { readonly data: DispatchData; readonly status: JobStatus; readonly count: number; readonly overdue: number }) {
  // The most pressing first: earliest due, undated last.
  const page = useJobPage(data.client, `status=${status}&sort=due&dir=asc&limit=${CARDS_PER_COLUMN}`, data.version);
  const jobs = page.value?.jobs ?? [];
  const label = `${jobStatusLabels[status]}: ${count.toLocaleString()}`;
  return (
    <section className="board-column" aria-label={label}>
      <h3>
        {jobStatusLabels[status]} <span className="board-count">{count.toLocaleString()}</span>
        {overdue > 0 ? <span className="board-overdue"> {overdue.toLocaleString()} overdue</span> : null}
      </h3>
      <ul tabIndex={0} aria-label={`${jobStatusLabels[status]} jobs, earliest due first`}>
        {count === 0 ? <li className="muted">None</li> : null}
        {jobs.map((job) => (
          <li key={job.id} className={`board-card${isOverdue(job) ? ' is-overdue' : ''}`}>
            <strong>{job.customer.name}</strong>
            <span>{job.address.line1}</span>
            <span className="muted">
              {agentName(data.agents, job.assignedAgentId)} · due {job.dueDate ?? '—'}
            </span>
          </li>
        ))}
        {count > jobs.length && jobs.length > 0 ? <li className="muted">and {(count - jobs.length).toLocaleString()} more — filter the Jobs list by {jobStatusLabels[status]} to see them all</li> : null}
      </ul>
    </section>
  );
}

/** Columns by status with exact counts from the server; overdue cards stand out so they are dealt with first. */
export function StatusBoard({ data }: { readonly data: DispatchData }) {
  const counts = useJobCounts(data.client, countsQueryString(noFilter), data.version);
  return (
    <section className="dispatch-panel" aria-labelledby="board-heading">
      <h2 id="board-heading">Status board</h2>
      {counts.error ? <p className="form-error" role="alert">{counts.error}</p> : null}
      {counts.value ? (
        <p className="muted" role="status">
          {counts.value.total.toLocaleString()} jobs in all
        </p>
      ) : null}
      {/* The board and each column scroll on their own; keyboard users scroll them once focused. */}
      <div className="status-board" tabIndex={0} role="group" aria-label="Columns by status">
        {jobStatuses.map((status) => (
          <BoardColumn key={status} data={data} status={status} count={counts.value?.byStatus[status] ?? 0} overdue={counts.value?.overdueByStatus[status] ?? 0} />
        ))}
      </div>
    </section>
  );
}
