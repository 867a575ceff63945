import { jobStatuses, jobStatusLabels, type JobStatus } from '../../../shared/domain/job-status';
import type { DueFilter } from '../../db/job-due';

export interface JobFilterValues {
  search: string;
  status: JobStatus | 'all';
  due: DueFilter;
}

const dueLabels: Record<DueFilter, string> = {
  all: 'Any time',
  overdue: 'Overdue',
  today: 'Due today',
  week: 'Due this week',
};

interface JobFiltersProps {
  value: JobFilterValues;
  onChange: (value: JobFilterValues) => void;
}

export function JobFilters({ value, onChange }: JobFiltersProps) {
  return (
    <div className="job-filters" role="search">
      <label className="visually-hidden" htmlFor="job-search">
        Search jobs
      </label>
      <input
        id="job-search"
        type="search"
        placeholder="Search customer, address or serial"
        value={value.search}
        onChange={(event) => onChange({ ...value, search: event.target.value })}
      />
      <div className="job-filter-selects">
        <label htmlFor="job-status-filter">Status</label>
        <select
          id="job-status-filter"
          value={value.status}
          onChange={(event) => onChange({ ...value, status: event.target.value as JobStatus | 'all' })}
        >
          <option value="all">All statuses</option>
          {jobStatuses.map((status) => (
            <option key={status} value={status}>
              {jobStatusLabels[status]}
            </option>
          ))}
        </select>
        <label htmlFor="job-due-filter">Due</label>
        <select
          id="job-due-filter"
          value={value.due}
          onChange={(event) => onChange({ ...value, due: event.target.value as DueFilter })}
        >
          {(Object.keys(dueLabels) as DueFilter[]).map((due) => (
            <option key={due} value={due}>
              {dueLabels[due]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
