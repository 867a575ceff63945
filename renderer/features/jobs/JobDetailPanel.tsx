import { priorityLabels } from './job-text';
import { useSignedInSession } from '../auth/session-store';
import { formatCalendarDate, formatMoment } from '../../ui/date-format';
import { StatusBadge } from '../../ui/StatusBadge';
import { DoorWorkPanel } from '../capture/DoorWorkPanel';
import { PersonalPropertySection, propertyItemChoices } from '../capture/PersonalPropertySection';
import { CustomerReceiptSection } from '../capture/CustomerReceiptSection';
import { ExpectedItemsTable } from './ExpectedItemsTable';
import { JobContact } from './JobContact';
import { JobHistory } from './JobHistory';
import { useJobDetail } from './jobs-data';
import { NoteForm } from './NoteForm';
import { StatusActions } from './StatusActions';
import { useFocusWhen } from '../../ui/use-focus-when';

export function JobDetailPanel({ jobId }: { jobId: string }) {
  const session = useSignedInSession();
  const detail = useJobDetail(jobId);
  // Opening a job is a step forward: the focus follows to the job's name, where reading starts.
  const heading = useFocusWhen<HTMLHeadingElement>(detail ? detail.job.id : null);

  if (detail === undefined) return <p className="list-message">Loading job…</p>;
  if (detail === null) return <p className="list-message">This job is no longer on this device.</p>;
  const { job } = detail;

  return (
    <article className="job-detail" aria-labelledby="job-detail-title">
      <header className="job-detail-header">
        <h2 id="job-detail-title" tabIndex={-1} ref={heading}>{job.customer.name}</h2>
        <StatusBadge status={job.status} testId="job-status" />
        <span className={`job-row-priority priority-${job.priority}`}>{priorityLabels[job.priority]} priority</span>
        {job.dueDate ? <span>Due {formatCalendarDate(job.dueDate)}</span> : null}
      </header>
      <p className="muted">Last confirmed with the server {formatMoment(job.lastConfirmedAt)}</p>
      {job.removedOnServer ? (
        <p className="notice" role="status">
          This job was taken off your list by the office. It stays here until your changes on it have synced.
        </p>
      ) : null}
      {job.instructions ? <p className="instructions">{job.instructions}</p> : null}
      <JobContact job={job} />
      <ExpectedItemsTable items={job.items} />
      <StatusActions jobId={job.id} status={job.status} role={session.user.role} />
      {session.user.role === 'agent' ? (
        <DoorWorkPanel key={`door-${job.id}`} job={job} me={session.user} session={session} pendingIds={detail.pendingRecordIds} />
      ) : (
        <>
          <PersonalPropertySection jobId={job.id} items={propertyItemChoices(job.items, [])} pendingIds={detail.pendingRecordIds} canRecord={false} />
          <CustomerReceiptSection jobId={job.id} timeZone={job.timeZone} session={session} visitId={null} collected={false} />
        </>
      )}
      <NoteForm key={job.id} jobId={job.id} />
      <JobHistory detail={detail} me={session.user} />
    </article>
  );
}
