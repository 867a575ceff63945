import { useState } from 'react';
import { requirementsOf } from '../../../shared/domain/client-requirements';
import type { LocalJob } from '../../db/schema';
import type { User } from '../../../shared/domain/roles';
import { CustodyActions } from '../custody/CustodyActions';
import type { StoredSession } from '../../db/meta';
import { CustomerReceiptSection } from './CustomerReceiptSection';
import { ArrivalForm, outcomeLabels } from './ArrivalForm';
import { DepartureButton } from './DepartureButton';
import './capture.css';
import { useDoorWork, useStorageStatus } from './door-data';
import { EvidenceChecklist } from './EvidenceChecklist';
import { InventoryList } from './InventoryList';
import { PersonalPropertySection, propertyItemChoices } from './PersonalPropertySection';
import { PhotoCapture } from './PhotoCapture';
import { SignatureCapture } from './SignatureCapture';
import { formatBytes } from './storage-words';
import { formatClockTime, formatMoment } from '../../ui/date-format';

/** "At the door": the visit, the equipment, photos, signatures, the checklist and custody. */
export function DoorWorkPanel({ job, me, session, pendingIds }: { job: LocalJob; me: User; session: StoredSession; pendingIds: ReadonlySet<string> }) {
  const work = useDoorWork(job.id, requirementsOf(job));
  const storage = useStorageStatus();
  // After an arrival is logged, the focus moves on to the equipment, the next step at the door.
  const [arrivalsLogged, setArrivalsLogged] = useState(0);
  if (!work) return null;
  const visit = work.visits.at(-1);
  const serials = work.effective.filter((line) => line.status === 'recovered' || line.status === 'damaged').length;

  return (
    <section className="door-work" aria-labelledby="door-heading">
      <h3 id="door-heading">At the door</h3>
      {storage ? (
        <p className="muted" data-testid="storage-status">
          Photos and data on this laptop: {formatBytes(storage.usedBytes)} used
          {storage.freeBytes !== null ? `, ${formatBytes(storage.freeBytes)} free` : ''}
          {storage.persisted ? '' : ' (the browser may clear it under storage pressure)'}
        </p>
      ) : null}
      <ul className="visit-list" aria-label="Visits">
        {work.visits.map((entry) => (
          <li key={entry.id}>
            Arrived {formatMoment(entry.arrivedAt, job.timeZone)} · {outcomeLabels[entry.outcome]}
            {entry.place ? ` · ${entry.place.lat.toFixed(4)}, ${entry.place.lon.toFixed(4)}` : ' · place unknown'}
            {entry.overrides.length > 0 ? ` · warning overridden: ${entry.overrides.map((override) => override.reason).join('; ')}` : ''}
            {entry.departedAt ? ` · left ${formatClockTime(entry.departedAt, job.timeZone)}` : ''}
          </li>
        ))}
      </ul>
      {visit ? <DepartureButton jobId={job.id} visit={visit} /> : null}
      <ArrivalForm jobId={job.id} onLogged={() => setArrivalsLogged((count) => count + 1)} />
      {visit ? (
        <>
          <InventoryList jobId={job.id} visit={visit} items={job.items} effective={work.effective} focusRequest={arrivalsLogged} />
          <PhotoCapture jobId={job.id} photos={work.photos} waitingFiles={work.waitingFiles} items={job.items} />
          <PersonalPropertySection jobId={job.id} items={propertyItemChoices(job.items, work.effective)} pendingIds={pendingIds} canRecord />
          <SignatureCapture
            jobId={job.id}
            role="customer"
            statement={`I, the customer, handed ${serials} item${serials === 1 ? '' : 's'} of ${job.clientName} equipment to ${me.displayName} of the recovery agency.`}
          />
          <EvidenceChecklist lines={work.checklist} />
          <CustodyActions jobId={job.id} clientName={job.clientName} me={me} items={job.items} work={work} pendingIds={pendingIds} />
          <CustomerReceiptSection
            jobId={job.id}
            timeZone={job.timeZone}
            session={session}
            visitId={visit.id}
            collected={work.custodyEvents.some((event) => event.kind === 'collected')}
          />
        </>
      ) : (
        <p className="muted">Log your arrival to record equipment, photos and signatures.</p>
      )}
    </section>
  );
}
