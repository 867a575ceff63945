import { useEffect } from 'react';
import type { PersonName } from '../../../shared/api/people';
import { jobStatusLabels } from '../../../shared/domain/job-status';
import type { User } from '../../../shared/domain/roles';
import { roleLabels } from '../auth/role-labels';
import { useSignedInSession } from '../auth/session-store';
import { refreshPeople, usePeople } from './people-data';
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
      // The same status on both sides is a change of agent: its reason says who from and who to.
      text:
        change.from === change.to && change.reason
          ? change.reason
          : `${jobStatusLabels[change.from]} → ${jobStatusLabels[change.to]}${change.reason ? ` (${change.reason})` : ''}`,
    })),
    ...detail.notes.map((note) => ({ id: note.id, at: note.at, byUserId: note.byUserId, kind: 'note' as const, text: note.text })),
  ];
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id.localeCompare(a.id)));
}

/** People by name and role; the server sends the names on this user's jobs, kept for offline. */
function authorName(byUserId: string, me: User, people: ReadonlyMap<string, PersonName>): string {
  if (byUserId === me.id) return `${me.displayName} (you)`;
  const person = people.get(byUserId);
  return person ? `${person.displayName}, ${roleLabels[person.role].toLowerCase()}` : 'Someone not yet known on this laptop';
}

export function JobHistory({ detail, me }: { detail: LocalJobDetail; me: User }) {
  const entries = historyOf(detail);
  const session = useSignedInSession();
  const people = usePeople();
  const unknown = entries.some((entry) => entry.byUserId !== me.id && !people.has(entry.byUserId));
  useEffect(() => {
    if (unknown) void refreshPeople(session);
  }, [unknown, session, detail.job.id]);
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
                <time dateTime={entry.at}>{formatMoment(entry.at, detail.job.timeZone)}</time> · {authorName(entry.byUserId, me, people)}
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
