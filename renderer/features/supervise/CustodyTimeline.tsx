import type { CustodyParty } from '../../../shared/custody/custody-event';
import { readDispositionNote } from '../../../shared/supervise/disposition';
import type { ItemTimeline } from '../../../shared/supervise/supervise-api';
import { formatMoment } from '../../ui/date-format';
import { EvidenceImage } from './EvidenceImage';
import { ExportButtons } from './ExportButtons';
import { PlacesMap } from './PlacesMap';
import type { SuperviseClient } from './supervise-client';
import { VerdictBadge } from './VerdictBadge';

function party(value: CustodyParty, users: Readonly<Record<string, string>>): string {
  const user = value.userId ? users[value.userId] : undefined;
  return `${value.name} (${value.role}${user && user !== value.name ? `, user ${user}` : ''})`;
}

function EventNote({ note }: { note: string }) {
  const disposition = readDispositionNote(note);
  if (!disposition) return note ? <p>Note: {note}</p> : null;
  const certificate = disposition.certificate;
  return (
    <div className="supervise-disposition">
      <p>
        <strong>Final disposition: {disposition.disposition.replace(/_/g, ' ')}</strong>
        {disposition.note ? ` — ${disposition.note}` : ''}
      </p>
      {certificate ? (
        <p className="supervise-muted">
          Sanitization (NIST SP 800-88): {certificate.sanitization.method} by {certificate.sanitization.technique}
          {certificate.sanitization.tool ? ` with ${certificate.sanitization.tool}` : ''} on {certificate.media.type}, performed by {certificate.performedBy.name}, validated by{' '}
          {certificate.validatedBy.name} on {certificate.validatedBy.date}
        </p>
      ) : null}
    </div>
  );
}

/** One item's chain of custody, oldest first, with the server's verdict and the exports. */
export function CustodyTimeline({ client, timeline }: { client: SuperviseClient; timeline: ItemTimeline }) {
  const { item } = timeline;
  return (
    <section className="supervise-timeline" aria-label={`Custody of ${item.serial}`}>
      <header>
        <h3>
          {item.description} · serial <span data-testid="timeline-serial">{item.serial}</span>
          {item.assetTag ? ` · tag ${item.assetTag}` : ''}
        </h3>
        <p className="supervise-muted">
          {item.clientName} · account {item.accountRef} · {item.customerName} · job {item.jobStatus.replace(/_/g, ' ')}
        </p>
        <VerdictBadge verdict={timeline.verdict} />
        <ExportButtons client={client} scope={{ jobId: item.jobId }} kinds={['pdf', 'bundle', 'csv']} />
      </header>
      <div className="supervise-timeline-body">
        <ol className="supervise-events">
          {timeline.events.map((event, index) => (
            <li key={event.id} className="supervise-event">
              <p className="supervise-event-title">
                <strong>
                  {index + 1}. {event.kind.replace(/_/g, ' ')}
                </strong>{' '}
                <time dateTime={event.at}>{formatMoment(event.at)}</time>
              </p>
              <p>
                From {party(event.from, timeline.users)} to {party(event.to, timeline.users)}
              </p>
              <p className="supervise-muted">
                {event.place ? `At ${event.place.lat.toFixed(5)}, ${event.place.lon.toFixed(5)}` : 'Place not recorded'}
                {event.sealNumber ? ` · seal ${event.sealNumber}` : ''} · recorded by {timeline.users[event.recordedByUserId] ?? event.recordedByUserId} on {event.deviceId}
              </p>
              <EventNote note={event.note} />
              <p className="supervise-hash" title="SHA-256 of the event">
                hash {event.hash}
              </p>
              {event.signatureHashes.length + event.photoHashes.length > 0 ? (
                <div className="supervise-evidence-row">
                  {event.signatureHashes.map((hash) => (
                    <EvidenceImage key={hash} client={client} sha256={hash} label="Signature" />
                  ))}
                  {event.photoHashes.map((hash) => (
                    <EvidenceImage key={hash} client={client} sha256={hash} label="Photo" />
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
        <PlacesMap events={timeline.events} />
      </div>
    </section>
  );
}
