import { jobStatusLabels, type JobStatus } from '../../shared/domain/job-status';

interface StatusBadgeProps {
  status: JobStatus;
  testId?: string;
}

export function StatusBadge({ status, testId }: StatusBadgeProps) {
  return (
    <span className={`status-badge status-${status}`} data-testid={testId}>
      {jobStatusLabels[status]}
    </span>
  );
}
