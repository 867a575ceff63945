import { useMemo, useState } from 'react';
import type { Job } from '../../../shared/domain/job';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import type { DispatchData } from './use-dispatch-data';
import { addressLine, agentName, isOverdue, needsPin, summarizeBulk as summarize } from './dispatch-text';

interface Props {
  readonly data: DispatchData;
  /** Whether the signed-in role may write jobs; without it the list is for reading. */
  readonly canWrite: boolean;
  readonly onEdit: (job: Job) => void;
}

/** The dispatcher's list: search, select one or many, assign, re-assign, unassign, hold, cancel. */
export function DispatchJobList({ data, canWrite, onEdit }: Props) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [agentId, setAgentId] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return data.jobs;
    return data.jobs.filter((job) => [job.customer.name, job.accountRef, job.clientName, job.address.line1, ...job.items.map((item) => item.serial)].some((text) => text.toLowerCase().includes(q)));
  }, [data.jobs, query]);

  const toggle = (jobId: string) => {
    const next = new Set(selected);
    if (next.has(jobId)) next.delete(jobId);
    else next.add(jobId);
    setSelected(next);
  };
  const allVisible = visible.length > 0 && visible.every((job) => selected.has(job.id));

  const act = async (run: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(await run());
      setSelected(new Set());
      await data.refresh();
    } catch (caught) {
      setMessage(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  const jobIds = [...selected];

  return (
    <section className="dispatch-panel" aria-labelledby="dispatch-jobs-heading">
      <h2 id="dispatch-jobs-heading">Jobs</h2>
      <div className="dispatch-toolbar">
        <input type="search" placeholder="Search customer, account, address or serial" aria-label="Search jobs" value={query} onChange={(event) => setQuery(event.target.value)} />
        <span className="list-count">
          {visible.length} of {data.total} jobs · {selected.size} selected
        </span>
      </div>
      {canWrite ? (
        <div className="dispatch-toolbar" aria-label="Act on the selected jobs">
          <label>
            Agent{' '}
            <select value={agentId} onChange={(event) => setAgentId(event.target.value)} aria-label="Agent">
              <option value="">Choose an agent…</option>
              {data.agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.displayName} ({agent.username})
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button-primary" disabled={busy || selected.size === 0 || agentId === ''} onClick={() => void act(async () => summarize(await data.client.assign({ jobIds, agentId }), 'Assigned'))}>
            Assign selected
          </button>
          <button type="button" className="button-secondary" disabled={busy || selected.size === 0} onClick={() => void act(async () => summarize(await data.client.assign({ jobIds, agentId: null }), 'Unassigned'))}>
            Unassign
          </button>
          <input type="text" placeholder="Reason (for hold or cancel)" aria-label="Reason" value={reason} onChange={(event) => setReason(event.target.value)} />
          <button type="button" className="button-secondary" disabled={busy || selected.size === 0 || reason.trim() === ''} onClick={() => void act(async () => summarize(await data.client.holdOrCancel({ jobIds, status: 'on_hold', reason }), 'Put on hold'))}>
            Hold
          </button>
          <button type="button" className="button-danger" disabled={busy || selected.size === 0 || reason.trim() === ''} onClick={() => void act(async () => summarize(await data.client.holdOrCancel({ jobIds, status: 'cancelled', reason }), 'Cancelled'))}>
            Cancel jobs
          </button>
        </div>
      ) : null}
      {message ? <p className="dispatch-message" role="status">{message}</p> : null}
      <table className="dispatch-table">
        <thead>
          <tr>
            {canWrite ? (
              <th>
                <input type="checkbox" aria-label="Select all shown" checked={allVisible} onChange={() => setSelected(allVisible ? new Set() : new Set(visible.map((job) => job.id)))} />
              </th>
            ) : null}
            <th>Customer</th>
            <th>Client · account</th>
            <th>Address</th>
            <th>Status</th>
            <th>Agent</th>
            <th>Due</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, 1000).map((job) => (
            <tr key={job.id} className={selected.has(job.id) ? 'is-selected' : ''}>
              {canWrite ? (
                <td>
                  <input type="checkbox" aria-label={`Select ${job.customer.name}`} checked={selected.has(job.id)} onChange={() => toggle(job.id)} />
                </td>
              ) : null}
              <td>
                {job.customer.name}
                {job.reviewReason ? <span className="badge badge-review" title={job.reviewReason}> review</span> : null}
              </td>
              <td>
                {job.clientName} · <span className="monospace">{job.accountRef}</span>
              </td>
              <td>
                {addressLine(job)}
                {needsPin(job) ? <span className="badge badge-pin"> needs a pin</span> : null}
              </td>
              <td>
                <span className={`status-pill status-${job.status}`}>{jobStatusLabels[job.status]}</span>
              </td>
              <td>{agentName(data.agents, job.assignedAgentId)}</td>
              <td className={isOverdue(job) ? 'is-overdue' : ''}>{job.dueDate ?? '—'}</td>
              <td>
                {canWrite ? (
                  <button type="button" className="button-link" onClick={() => onEdit(job)}>
                    Edit
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
