import { jobStatusLabels } from '../../../shared/domain/job-status';
import type { User } from '../../../shared/domain/roles';
import type { LocalJobDetail } from '../../db/jobs-repository';
import { formatMoment } from '../../ui/date-format';
import { describeDoorRecord } from '../capture/rejected-record-text';

interface HistoryEntry {
  id: string;
  at: string;
  byUserId: string;
  text: string;
  kind: 'status' | 'note';
}

function historyOf(detail: LocalJobDetail): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...detail.statusChanges.map((change) => ({
      id: change.id,
      at: change.at,
      byUserId: change.byUserId,
      kind: 'status' as const,
      text: `${jobStatusLabels[change.from]} → ${jobStatusLabels[change.to]}${change.reason ? ` (${change.reason})` : ''}`,
    })),
    ...detail.notes.map((note) => ({ id: note.id, at: note.at, byUserId: note.byUserId, kind: 'note' as const, text: note.text })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id.localeCompare(a.id)));
}

/** Other people's names are not synced to the device yet, so only "you" is known by name. */
function authorName(byUserId: string, me: User): string {
  return byUserId === me.id ? `${me.displayName} (you)` : 'Another user';
}

export function JobHistory({ detail, me }: { detail: LocalJobDetail; me: User }) {
  const entries = historyOf(detail);
  return (
    <section aria-labelledby="history-heading">
      <h3 id="history-heading">History</h3>
      {detail.rejected.length > 0 ? (
        <div className="rejected-list" role="status">
          <p className="detail-strong">The server did not accept these changes:</p>
          <ul>
            {detail.rejected.map((rejected) => (
              <li key={rejected.id}>
                {rejected.mutation.entity === 'jobNote'
                  ? `Note “${rejected.mutation.data.text}”`
                  : rejected.mutation.entity === 'jobStatusChange'
                    ? `Status ${jobStatusLabels[rejected.mutation.data.to]}`
                    : describeDoorRecord(rejected.mutation)}
                : {rejected.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {entries.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className="history-list">
          {entries.map((entry) => (
            <li key={entry.id} className={`history-entry history-${entry.kind}`}>
              <div className="history-meta">
                <time dateTime={entry.at}>{formatMoment(entry.at, detail.job.timeZone)}</time> · {authorName(entry.byUserId, me)}
                {detail.pendingRecordIds.has(entry.id) ? <span className="pending-tag">Waiting to sync</span> : null}
              </div>
              <p className={entry.kind === 'note' ? 'history-note' : 'history-status'}>{entry.text}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
