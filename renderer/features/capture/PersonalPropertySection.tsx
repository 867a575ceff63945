import type { PersonalPropertyEvent, PersonalPropertyState } from '../../../shared/domain/personal-property';
import { useState } from 'react';
import type { ExpectedItem } from '../../../shared/domain/job';
import type { ItemReconciliationRow } from '../../db/door-tables';
import { FoundPropertyForm, type PropertyItemChoice } from './FoundPropertyForm';
import { usePersonalProperty, type PersonalPropertyView } from './personal-property-data';
import { PhotoThumbnail } from './PhotoCapture';
import { fateLabels, PropertyFateForm, returnMethodLabels } from './PropertyFateForm';
import { formatMoment } from '../../ui/date-format';

/** The items belongings can be found with: the expected ones and any found at the door. */
export function propertyItemChoices(items: readonly ExpectedItem[], effective: readonly ItemReconciliationRow[]): PropertyItemChoice[] {
  const expected = items.map((item) => ({ id: item.id, label: `${item.make} ${item.model} ${item.serial}`.trim() }));
  const unexpected = effective.flatMap((line) => (line.unexpected ? [{ id: line.itemId, label: `${line.unexpected.make} ${line.unexpected.model} ${line.unexpected.serial} (found at the door)`.trim() }] : []));
  return [...expected, ...unexpected];
}

const time = (iso: string) => formatMoment(iso);

function eventInWords(event: PersonalPropertyEvent): string {
  switch (event.kind) {
    case 'stored':
      return `Stored at ${event.location}`;
    case 'returned':
      return `Returned to ${event.returnedTo} (${returnMethodLabels[event.method]})${event.signatureHash ? ', signed for' : ''}`;
    case 'released':
      return `Released to ${event.releasedTo}: ${event.reason}`;
    case 'disposed':
      return `Disposed of: ${event.reason}`;
  }
}

function stateInWords(state: PersonalPropertyState): string {
  const last = state.trail.at(-1);
  return last ? eventInWords(last) : 'With the agent who found it';
}

interface Props {
  jobId: string;
  items: readonly PropertyItemChoice[];
  pendingIds: ReadonlySet<string>;
  /** Agents record; the office reads. */
  canRecord: boolean;
}

function PropertyCard({ view, jobId, itemLabel, pendingIds, waitingFiles, canRecord }: { view: PersonalPropertyView; jobId: string; itemLabel: string | null; pendingIds: ReadonlySet<string>; waitingFiles: ReadonlySet<string>; canRecord: boolean }) {
  const { entry, state, photos } = view;
  const waiting = pendingIds.has(entry.id) || state.trail.some((event) => pendingIds.has(event.id));
  return (
    <li className="property-card" aria-label={entry.description}>
      <div className="inventory-name">
        <strong>{entry.description}</strong>
        <span className={`property-status property-${state.status}`} data-testid="property-status">{stateInWords(state)}</span>
        {waiting ? <span className="pending-tag">Waiting to sync</span> : null}
      </div>
      <p className="muted">
        Found {entry.foundWhere}{itemLabel ? ` · with ${itemLabel}` : ''} · {time(entry.foundAt)}
      </p>
      {photos.length > 0 ? (
        <ul className="photo-list" aria-label={`Photos of ${entry.description}`}>
          {photos.map((photo, index) => <PhotoThumbnail key={photo.id} photo={photo} index={index} waiting={waitingFiles.has(photo.sha256)} />)}
        </ul>
      ) : null}
      {state.trail.length > 0 ? (
        <ol className="property-trail" aria-label={`What became of ${entry.description}`}>
          {state.trail.map((event) => <li key={event.id}>{time(event.at)} · {eventInWords(event)}{event.note ? ` · ${event.note}` : ''}</li>)}
        </ol>
      ) : null}
      {state.conflicts.length > 0 ? (
        <p className="door-warning" role="status">
          Records from another device disagree: {state.conflicts.map((event) => `${fateLabels[event.kind]} (${time(event.at)})`).join('; ')}. The office has been asked to check.
        </p>
      ) : null}
      {canRecord ? <PropertyFateForm key={state.status} propertyId={entry.id} jobId={jobId} description={entry.description} status={state.status} /> : null}
    </li>
  );
}

/**
 * Personal property: what the customer left in or with the equipment. Listed with photos, then
 * stored, returned, released or disposed of, each step its own record.
 */
export function PersonalPropertySection({ jobId, items, pendingIds, canRecord }: Props) {
  const found = usePersonalProperty(jobId);
  // Closed until needed: most doors have none, and the panel is long enough already.
  const [adding, setAdding] = useState(false);
  if (!found) return null;
  if (!canRecord && found.property.length === 0) return null;
  const labels = new Map(items.map((item) => [item.id, item.label]));
  return (
    <section aria-labelledby={`property-heading-${jobId}`} className="door-section personal-property">
      <h4 id={`property-heading-${jobId}`}>Personal property</h4>
      {canRecord ? (
        <p className="muted">
          Belongings found in or with the equipment are listed and photographed, kept safe and offered back. They are never held for a fee.
        </p>
      ) : null}
      {found.property.length > 0 ? (
        <ul className="inventory-list" aria-label="Personal property found">
          {found.property.map((view) => (
            <PropertyCard
              key={view.entry.id}
              view={view}
              jobId={jobId}
              itemLabel={view.entry.itemId ? (labels.get(view.entry.itemId) ?? 'an item found at the door') : null}
              pendingIds={pendingIds}
              waitingFiles={found.waitingFiles}
              canRecord={canRecord}
            />
          ))}
        </ul>
      ) : (
        <p className="muted">None recorded.</p>
      )}
      {canRecord && adding ? <FoundPropertyForm jobId={jobId} items={items} onRecorded={() => setAdding(false)} onCancel={() => setAdding(false)} /> : null}
      {canRecord && !adding ? (
        <button type="button" className="button-secondary" onClick={() => setAdding(true)}>Add personal property</button>
      ) : null}
    </section>
  );
}
