import { useState } from 'react';
import type { CustodyParty } from '../../../shared/custody/custody-event';
import { readRefusalNote, refusalInWords } from '../../../shared/domain/customer-refusal';
import { readDispositionNote } from '../../../shared/supervise/disposition';
import type { ItemTimeline } from '../../../shared/supervise/supervise-api';
import { formatMoment } from '../../ui/date-format';
import { DispositionForm } from './DispositionForm';
import { EvidenceImage } from './EvidenceImage';
import { ExportButtons } from './ExportButtons';
import { JobReceipts } from './JobReceipts';
import { PlacesMap } from './PlacesMap';
import type { SuperviseClient } from './supervise-client';
import { VerdictBadge } from './VerdictBadge';

/** A laptop by the name people know it by: its admin-given name, else whose laptop it is. */
function deviceName(timeline: ItemTimeline, deviceId: string): string {
  const named = timeline.devices?.[deviceId];
  if (named) return named;
  const holder = timeline.deviceKeys.find((key) => key.deviceId === deviceId)?.userId;
  const person = holder ? timeline.users[holder] : undefined;
  return person ? `${person}'s laptop` : 'a device with no name on record';
}

function party(value: CustodyParty, users: Readonly<Record<string, string>>): string {
  const user = value.userId ? users[value.userId] : undefined;
  return `${value.name} (${value.role}${user && user !== value.name ? `, user ${user}` : ''})`;
}

function EventNote({ note }: { note: string }) {
  const refusal = readRefusalNote(note);
  if (refusal) {
    return (
      <div className="supervise-refusal" data-testid="refusal-note">
        <p>
          <strong>{refusalInWords(refusal)}</strong>
        </p>
        <p className="muted">Attestation: {refusal.attestation}</p>
        {refusal.otherMissing ? <p className="muted">{refusal.otherMissing}</p> : null}
      </div>
    );
  }
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
        <dl className="supervise-certificate-summary" aria-label="Certificate of sanitization">
          <dt>Sanitization (NIST SP 800-88)</dt>
          <dd>
            {certificate.sanitization.method} by {certificate.sanitization.technique}
            {certificate.sanitization.tool ? ` with ${certificate.sanitization.tool}` : ''}; verification {certificate.sanitization.verification.replace(/_/g, ' ')}
            {certificate.sanitization.destination ? `; media to ${certificate.sanitization.destination}` : ''}
          </dd>
          <dt>Media</dt>
          <dd>{[certificate.media.type, certificate.media.make, certificate.media.model, certificate.media.serial ? `serial ${certificate.media.serial}` : ''].filter(Boolean).join(' · ')}</dd>
          <dt>Sanitized by</dt>
          <dd>{[certificate.performedBy.name, certificate.performedBy.title, certificate.performedBy.organization].filter(Boolean).join(', ')}</dd>
          <dt>Validated by</dt>
          <dd>
            {[certificate.validatedBy.name, certificate.validatedBy.title, certificate.validatedBy.organization].filter(Boolean).join(', ')} on {certificate.validatedBy.date}
          </dd>
        </dl>
      ) : null}
    </div>
  );
}

/** The item's final disposition: recorded already, or a form to record it. */
function DispositionSection({ client, timeline, validator, onDisposed }: { client: SuperviseClient; timeline: ItemTimeline; validator: string; onDisposed: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [recorded, setRecorded] = useState<string | null>(null);
  const last = timeline.events.at(-1);
  const disposed = last ? readDispositionNote(last.note) : null;
  if (disposed) {
    return (
      <p className="supervise-disposed" role={recorded ? 'status' : undefined}>
        {recorded ?? `Final disposition recorded (event ${timeline.events.length}): ${disposed.disposition.replace(/_/g, ' ')}. A correction is a new record made by an administrator.`}
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
        Record final disposition…
      </button>
    );
  }
  return (
    <DispositionForm
      client={client}
      item={timeline.item}
      validator={validator}
      onCancel={() => setOpen(false)}
      onRecorded={(words) => {
        setRecorded(words);
        setOpen(false);
        void onDisposed();
      }}
    />
  );
}

/** One item's chain of custody, oldest first, with the server's verdict, the exports and the disposition. */
export function CustodyTimeline({ client, timeline, validator, onDisposed }: { client: SuperviseClient; timeline: ItemTimeline; validator: string; onDisposed: () => Promise<void> }) {
  const { item } = timeline;
  return (
    <section className="supervise-timeline" aria-label={`Custody of ${item.serial}`}>
      <header>
        <h2>
          {item.description} · serial <span data-testid="timeline-serial">{item.serial}</span>
          {item.assetTag ? ` · tag ${item.assetTag}` : ''}
        </h2>
        <p className="supervise-muted">
          {item.clientName} · account {item.accountRef} · {item.customerName} · job {item.jobStatus.replace(/_/g, ' ')}
        </p>
        <VerdictBadge verdict={timeline.verdict} />
        <ExportButtons client={client} scope={{ jobId: item.jobId }} kinds={['pdf', 'bundle', 'csv']} />
        <JobReceipts key={item.jobId} client={client} jobId={item.jobId} />
        <DispositionSection key={item.itemId} client={client} timeline={timeline} validator={validator} onDisposed={onDisposed} />
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
                {event.sealNumber ? ` · seal ${event.sealNumber}` : ''} · recorded by {timeline.users[event.recordedByUserId] ?? event.recordedByUserId} on{' '}
                <span title={`device ${event.deviceId}`}>{deviceName(timeline, event.deviceId)}</span>
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
