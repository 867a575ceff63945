import type { JobCounts } from '../../../shared/api/job-query';
import type { ClientSummary } from '../../../shared/api/job-query';
import { priorities } from '../../../shared/domain/job';
import { jobStatuses, jobStatusLabels, type JobStatus } from '../../../shared/domain/job-status';
import type { User } from '../../../shared/domain/roles';
import { isFiltered, noFilter, type OfficeFilter } from './office-query';

interface Props {
  readonly filter: OfficeFilter;
  readonly onChange: (filter: OfficeFilter) => void;
  readonly agents: readonly User[];
  readonly clients: readonly ClientSummary[];
  /** Counts for the current filter; each status option shows how many jobs it would list. */
  readonly counts: JobCounts | null;
}

const dueLabels: [OfficeFilter['due'], string][] = [
  ['', 'Any due date'],
  ['overdue', 'Overdue'],
  ['today', 'Due today'],
  ['week', 'Due in the next 7 days'],
  ['none', 'No due date'],
];

/** The office table's filters; every one is applied by the server over all of the organisation's jobs. */
export function JobFilterBar({ filter, onChange, agents, clients, counts }: Props) {
  const set = <K extends keyof OfficeFilter>(key: K, value: OfficeFilter[K]) => onChange({ ...filter, [key]: value });
  return (
    <div className="dispatch-toolbar office-filters" role="search" aria-label="Filter jobs">
      <input type="search" placeholder="Search customer, account, address or serial" aria-label="Search jobs" value={filter.q} onChange={(event) => set('q', event.target.value)} />
      <select aria-label="Filter by status" value={filter.status} onChange={(event) => set('status', event.target.value as JobStatus | '')}>
        <option value="">Every status</option>
        {jobStatuses.map((status) => (
          <option key={status} value={status}>
            {jobStatusLabels[status]}
            {counts ? ` (${counts.byStatus[status].toLocaleString()})` : ''}
          </option>
        ))}
      </select>
      <select aria-label="Filter by agent" value={filter.agent} onChange={(event) => set('agent', event.target.value)}>
        <option value="">Every agent</option>
        <option value="none">Nobody (unassigned)</option>
        {agents.map((agent) => (
          <option key={agent.id} value={agent.id}>
            {agent.displayName}
          </option>
        ))}
      </select>
      <select aria-label="Filter by client" value={filter.clientId} onChange={(event) => set('clientId', event.target.value)}>
        <option value="">Every client</option>
        {clients.map((client) => (
          <option key={client.id} value={client.id}>
            {client.name} ({client.jobs.toLocaleString()})
          </option>
        ))}
      </select>
      <select aria-label="Filter by priority" value={filter.priority} onChange={(event) => set('priority', event.target.value as OfficeFilter['priority'])}>
        <option value="">Every priority</option>
        {[...priorities].reverse().map((priority) => (
          <option key={priority} value={priority}>
            {priority[0]?.toUpperCase()}
            {priority.slice(1)}
          </option>
        ))}
      </select>
      <select aria-label="Filter by due date" value={filter.due} onChange={(event) => set('due', event.target.value as OfficeFilter['due'])}>
        {dueLabels.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" className="button-link" disabled={!isFiltered(filter)} onClick={() => onChange(noFilter)}>
        Clear filters
      </button>
    </div>
  );
}
