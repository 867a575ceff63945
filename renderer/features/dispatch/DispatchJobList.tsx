import { useEffect, useState } from 'react';
import type { JobSortKey } from '../../../shared/api/job-query';
import type { Job } from '../../../shared/domain/job';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import { isFinished } from '../../../shared/dispatch/bulk-action';
import type { BulkAction } from '../../../shared/dispatch/bulk-action';
import { formatCalendarDate } from '../../ui/date-format';
import type { BulkSubject } from './bulk-act';
import { BulkConfirmDialog } from './BulkConfirmDialog';
import { BulkOutcomeBar } from './BulkOutcomeBar';
import { addressLine, agentName, isOverdue, needsPin } from './dispatch-text';
import { JobFilterBar } from './JobFilterBar';
import { useJobCounts, useJobPage, useSettled } from './office-jobs-data';
import { countsQueryString, isFiltered, listQueryString, noFilter, type OfficeFilter, type OfficeSort } from './office-query';
import { Pager, pageParams, usePagePlace } from './Pager';
import { useBulkAct } from './use-bulk-act';
import type { DispatchData } from './use-dispatch-data';

interface Props {
  readonly data: DispatchData;
  /** Whether the signed-in role may write jobs; without it the list is for reading. */
  readonly canWrite: boolean;
  readonly onEdit: (job: Job) => void;
}

const columns: [JobSortKey, string][] = [
  ['customer', 'Customer'],
  ['client', 'Client'],
  ['account', 'Account'],
  ['status', 'Status'],
  ['agent', 'Agent'],
  ['priority', 'Priority'],
  ['due', 'Due'],
];

const pageSizes = [50, 100, 200] as const;

/**
 * The dispatcher's list: the server filters, sorts, pages and counts over every job, so any job
 * of the organisation is one search away. Select one or many (across pages), then assign,
 * re-assign, unassign, hold or cancel.
 */
export function DispatchJobList({ data, canWrite, onEdit }: Props) {
  const [filter, setFilter] = useState<OfficeFilter>(noFilter);
  const [sort, setSort] = useState<OfficeSort>({ key: 'due', dir: 'asc' });
  const { place, setPlace, toFirst, toLast } = usePagePlace();
  const [pageSize, setPageSize] = useState<number>(50);
  const [selected, setSelected] = useState<ReadonlyMap<string, Job>>(new Map());
  const [agentId, setAgentId] = useState('');
  const [reason, setReason] = useState('');
  const [leftOut, setLeftOut] = useState<string | null>(null);
  const bulk = useBulkAct(data, async () => {
    setSelected(new Map());
    await data.refresh();
  });
  const busy = bulk.busy;

  const settled = useSettled(filter);
  const list = useJobPage(data.client, listQueryString(settled, sort, pageParams(place, pageSize)), data.version);
  const counts = useJobCounts(data.client, countsQueryString(settled), data.version);
  const jobs = list.value?.jobs ?? [];
  const total = list.value?.total ?? 0;
  // Jobs that left the filter meanwhile (the live feed) can leave the page past the end.
  useEffect(() => {
    if (list.value && place.at.kind !== 'first' && list.value.jobs.length === 0) toLast(list.value.total, pageSize);
  }, [list.value, place, pageSize, toLast]);

  const changeFilter = (next: OfficeFilter) => {
    setFilter(next);
    toFirst();
  };
  const sortBy = (key: JobSortKey) => {
    setSort((current) => ({ key, dir: current.key === key && current.dir === 'asc' ? 'desc' : 'asc' }));
    toFirst();
  };
  const toggle = (job: Job) => {
    const next = new Map(selected);
    if (next.has(job.id)) next.delete(job.id);
    else next.set(job.id, job);
    setSelected(next);
  };
  // "Select all" takes only jobs some act applies to, and says what it left out.
  const actionable = jobs.filter((job) => !isFinished(job.status));
  const allShown = actionable.length > 0 && actionable.every((job) => selected.has(job.id));
  const toggleShown = () => {
    const next = new Map(selected);
    for (const job of actionable) {
      if (allShown) next.delete(job.id);
      else next.set(job.id, job);
    }
    setSelected(next);
    const finished = jobs.filter((job) => isFinished(job.status));
    setLeftOut(!allShown && finished.length > 0 ? `Left out ${finished.length} finished (${[...new Set(finished.map((job) => jobStatusLabels[job.status]))].join(', ')}): ${finished.map((job) => job.customer.name).join(', ')}` : null);
  };

  const act = (action: BulkAction) => {
    const subjects: BulkSubject[] = [...selected.values()].map((job) => ({ id: job.id, status: job.status, assignedAgentId: job.assignedAgentId, name: job.customer.name }));
    setLeftOut(null);
    bulk.start(action, subjects, reason);
  };

  return (
    <section className="dispatch-panel" aria-labelledby="dispatch-jobs-heading">
      <h2 id="dispatch-jobs-heading">Jobs</h2>
      <JobFilterBar filter={filter} onChange={changeFilter} agents={data.agents} clients={data.clients} counts={counts.value} />
      <p className="list-count" role="status">
        {list.value ? `${total.toLocaleString()} ${total === 1 ? 'job matches' : 'jobs match'}` : 'Loading jobs…'}
        {counts.value && counts.value.flagged > 0 ? ` · ${counts.value.flagged.toLocaleString()} flagged for review` : ''}
        {selected.size > 0 ? ` · ${selected.size.toLocaleString()} selected` : ''}
      </p>
      {canWrite ? (
        <div className="dispatch-toolbar" role="group" aria-label="Act on the selected jobs">
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
          <button type="button" className="button-primary" disabled={busy || selected.size === 0 || agentId === ''} onClick={() => act({ kind: 'assign', agentId })}>
            Assign selected
          </button>
          <button type="button" className="button-secondary" disabled={busy || selected.size === 0} onClick={() => act({ kind: 'unassign' })}>
            Unassign
          </button>
          <input type="text" placeholder="Reason (for hold or cancel)" aria-label="Reason" value={reason} onChange={(event) => setReason(event.target.value)} />
          <button type="button" className="button-secondary" disabled={busy || selected.size === 0 || reason.trim() === ''} onClick={() => act({ kind: 'hold' })}>
            Hold
          </button>
          <button type="button" className="button-danger" disabled={busy || selected.size === 0 || reason.trim() === ''} onClick={() => act({ kind: 'cancel' })}>
            Cancel jobs
          </button>
          {selected.size > 0 ? (
            <button type="button" className="button-link" onClick={() => setSelected(new Map())}>
              Clear selection
            </button>
          ) : null}
        </div>
      ) : null}
      {leftOut ? <p className="dispatch-message" role="status">{leftOut}</p> : null}
      <BulkOutcomeBar outcome={bulk.outcome} busy={bulk.busy} onUndo={bulk.undo} onDismiss={bulk.dismiss} />
      {bulk.asking ? <BulkConfirmDialog ask={bulk.asking} nameOf={bulk.nameOf} onAnswer={bulk.answer} onCancel={bulk.cancel} /> : null}
      {list.error ? <p className="form-error" role="alert">{list.error}</p> : null}
      <table className="dispatch-table" aria-busy={list.loading} aria-describedby="dispatch-jobs-heading">
        <thead>
          <tr>
            {canWrite ? (
              <th scope="col">
                <input type="checkbox" aria-label="Select all shown" checked={allShown} onChange={toggleShown} />
              </th>
            ) : null}
            {columns.map(([key, label]) => (
              <th key={key} scope="col" aria-sort={sort.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                <button type="button" className="sort-button" onClick={() => sortBy(key)}>
                  {label}
                  <span aria-hidden="true" className="sort-mark">
                    {sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} className={selected.has(job.id) ? 'is-selected' : ''}>
              {canWrite ? (
                <td>
                  <input type="checkbox" aria-label={`Select ${job.customer.name}`} checked={selected.has(job.id)} onChange={() => toggle(job)} />
                </td>
              ) : null}
              <td>
                {job.customer.name}
                {job.reviewReason ? <span className="badge badge-review" title={job.reviewReason}> review</span> : null}
                <div className="muted">
                  {addressLine(job)}
                  {needsPin(job) ? <span className="badge badge-pin"> needs a pin</span> : null}
                </div>
              </td>
              <td>{job.clientName}</td>
              <td className="monospace">{job.accountRef}</td>
              <td>
                <span className={`status-pill status-${job.status}`}>{jobStatusLabels[job.status]}</span>
              </td>
              <td>{agentName(data.agents, job.assignedAgentId)}</td>
              <td className={`priority-${job.priority}`}>{job.priority}</td>
              <td className={isOverdue(job) ? 'is-overdue' : ''}>{job.dueDate ? formatCalendarDate(job.dueDate) : '—'}</td>
              <td>
                {canWrite ? (
                  <button type="button" className="button-link" onClick={() => onEdit(job)} aria-label={`Edit ${job.customer.name}`}>
                    Edit
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.value && total === 0 ? (
        isFiltered(settled) ? (
          <div className="empty-state" role="status">
            <p>No job matches these filters.</p>
            <p className="muted">Search by account, serial, customer or street; or widen the filters.</p>
            <button type="button" className="button-secondary" onClick={() => changeFilter(noFilter)}>
              Clear filters
            </button>
          </div>
        ) : (
          <div className="empty-state" role="status">
            <p>No jobs yet.</p>
            <p className="muted">{canWrite ? 'Import a CSV of accounts (Import tab) or type one in with New job.' : 'A dispatcher imports or creates jobs; they appear here at once.'}</p>
          </div>
        )
      ) : null}
      {list.value && total > 0 ? (
        <div className="dispatch-toolbar pager-row">
          <Pager place={place} pageSize={pageSize} page={list.value} onPlace={setPlace} label="Job list pages" />
          <label>
            Rows per page{' '}
            <select
              value={pageSize}
              onChange={(event) => {
                setPageSize(Number(event.target.value));
                toFirst();
              }}
            >
              {pageSizes.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        </div>
      ) : null}
    </section>
  );
}
