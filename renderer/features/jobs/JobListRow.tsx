import { memo } from 'react';
import { isOverdue } from '../../db/job-due';
import type { LocalJob } from '../../db/schema';
import { formatCalendarDate } from '../../ui/date-format';
import { StatusBadge } from '../../ui/StatusBadge';
import { oneLineAddress, priorityLabels } from './job-text';

interface JobListRowProps {
  job: LocalJob;
  selected: boolean;
  now: Date;
  onOpen: (jobId: string) => void;
}

/** A row whose job is still being read: the same height, so nothing jumps when it arrives. */
export function JobListRowPlaceholder() {
  return (
    <span className="job-row is-placeholder" aria-hidden="true">
      <span className="job-row-main">
        <span className="job-row-customer">…</span>
      </span>
    </span>
  );
}

/** Memoised: a sync that changes one job, or a new selection, redraws only the rows it touched. */
export const JobListRow = memo(function JobListRow({ job, selected, now, onOpen }: JobListRowProps) {
  const overdue = isOverdue(job, now);
  const itemCount = job.items.length;
  return (
    <button
      type="button"
      className={`job-row${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => onOpen(job.id)}
    >
      <span className="job-row-main">
        <span className="job-row-customer">{job.customer.name}</span>
        <span className="job-row-address">{oneLineAddress(job.address)}</span>
      </span>
      <span className="job-row-meta">
        <StatusBadge status={job.status} />
        <span className={`job-row-due${overdue ? ' is-overdue' : ''}`}>
          {job.dueDate ? `${overdue ? 'Overdue · ' : 'Due '}${formatCalendarDate(job.dueDate)}` : 'No due date'}
        </span>
        <span className={`job-row-priority priority-${job.priority}`}>{priorityLabels[job.priority]}</span>
        <span className="job-row-items">
          {itemCount} item{itemCount === 1 ? '' : 's'}
        </span>
      </span>
    </button>
  );
});
