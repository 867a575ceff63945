import { useRef, useState } from 'react';
import { conditionGrades, reconciliationStatuses, type ConditionGrade, type ReconciliationStatus, type SerialConfirmation } from '../../../shared/domain/evidence';
import type { ExpectedItem } from '../../../shared/domain/job';
import { newId } from '../../../shared/ids';
import type { ItemReconciliationRow, VisitRow } from '../../db/door-tables';
import { CameraCapture } from './CameraCapture';
import { RuleWarningError } from './door-errors';
import { doorRepository } from './door-data';
import { useWedgeScanner } from './useWedgeScanner';
import { useFocusWhen } from '../../ui/use-focus-when';
import { matchSerial, normalizeSerial } from './wedge-scanner';

interface Draft {
  status: ReconciliationStatus;
  grade: ConditionGrade | '';
  serial: string;
  accessoriesChecked: boolean;
}

interface Pending {
  itemId: string;
  draft: Draft;
  confirmedBy: SerialConfirmation;
  unexpected: boolean;
}

const statusLabels: Record<ReconciliationStatus, string> = { recovered: 'Recovered', missing: 'Missing', damaged: 'Damaged', refused: 'Refused' };

/** Expected vs found, item by item; serials confirmed by typing or by a scanner anywhere on screen. */
export function InventoryList({ jobId, visit, items, effective, focusRequest = 0 }: { jobId: string; visit: VisitRow; items: readonly ExpectedItem[]; effective: readonly ItemReconciliationRow[]; focusRequest?: number }) {
  const heading = useFocusWhen<HTMLHeadingElement>(focusRequest);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [unmatched, setUnmatched] = useState<string | null>(null);
  const [stale, setStale] = useState<{ warning: string; pending: Pending } | null>(null);
  const [staleReason, setStaleReason] = useState('');
  const recorded = new Map(effective.map((line) => [line.itemId, line]));
  // Until the agent edits an item, its controls show what is saved for it, so a reload never
  // offers stale defaults that would overwrite the record with one click.
  const draftOf = (id: string): Draft => {
    const edited = drafts[id];
    if (edited) return edited;
    const saved = recorded.get(id);
    if (saved) return { status: saved.status, grade: saved.grade ?? '', serial: saved.serialSeen ?? '', accessoriesChecked: saved.accessoriesChecked };
    return { status: 'recovered', grade: '', serial: '', accessoriesChecked: false };
  };
  const setDraft = (id: string, change: Partial<Draft>) => setDrafts((all) => ({ ...all, [id]: { ...draftOf(id), ...change } }));

  async function save(pending: Pending, staleOrderOverride?: string) {
    setMessage(null);
    const { draft } = pending;
    try {
      await doorRepository.reconcileItem({
        jobId,
        visitId: visit.id,
        itemId: pending.itemId,
        status: draft.status,
        grade: draft.grade === '' ? null : draft.grade,
        serialSeen: draft.serial.trim() || null,
        serialConfirmedBy: pending.confirmedBy,
        accessoriesChecked: draft.accessoriesChecked,
        unexpected: pending.unexpected ? { type: 'other', make: '', model: '', serial: draft.serial.trim() } : null,
        ...(staleOrderOverride ? { staleOrderOverride } : {}),
      });
      setStale(null);
    } catch (caught) {
      if (caught instanceof RuleWarningError) setStale({ warning: caught.warning, pending });
      else setMessage(caught instanceof Error ? caught.message : 'The item could not be saved.');
    }
  }

  function confirmTyped(item: ExpectedItem) {
    const draft = draftOf(item.id);
    if (draft.serial.trim() && normalizeSerial(draft.serial) !== normalizeSerial(item.serial)) {
      setMessage(`The serial typed for ${item.serial} does not match it.`);
      return;
    }
    void save({ itemId: item.id, draft, confirmedBy: draft.serial.trim() ? 'typed' : 'not_confirmed', unexpected: false });
  }

  function scannedSerial(scanned: string, confirmedBy: 'scanner' | 'camera') {
    const item = matchSerial(items, scanned);
    if (!item) return setUnmatched(scanned);
    setUnmatched(null);
    const draft = { ...draftOf(item.id), serial: scanned };
    setDraft(item.id, draft);
    void save({ itemId: item.id, draft, confirmedBy, unexpected: false });
  }

  useWedgeScanner((scanned) => scannedSerial(scanned, 'scanner'));

  // A camera sees the same barcode many times a second; one reading per code is enough.
  const lastCameraRead = useRef<{ text: string; at: number } | null>(null);
  function cameraRead(text: string) {
    const now = Date.now();
    const last = lastCameraRead.current;
    if (last && last.text === text && now - last.at < 5000) return;
    lastCameraRead.current = { text, at: now };
    scannedSerial(text, 'camera');
  }

  const counts = { recovered: 0, missing: 0 };
  for (const line of effective) {
    if (line.status === 'recovered' || line.status === 'damaged') counts.recovered += 1;
    if (line.status === 'missing') counts.missing += 1;
  }

  return (
    <section aria-labelledby="inventory-heading" className="door-section">
      <h4 id="inventory-heading" tabIndex={-1} ref={heading}>Equipment</h4>
      <p className="door-summary" data-testid="inventory-summary">
        Expected {items.length} · recovered {counts.recovered} · missing {counts.missing}
      </p>
      <CameraCapture mode="scan" onScan={cameraRead} />
      <ul className="inventory-list">
        {items.map((item) => {
          const draft = draftOf(item.id);
          const done = recorded.get(item.id);
          return (
            <li key={item.id} className="inventory-item">
              <div className="inventory-name">
                <strong>{item.make} {item.model}</strong> <code>{item.serial}</code>
                {done ? <span className="inventory-done" data-testid={`item-state-${item.serial}`}>{statusLabels[done.status]}{done.serialConfirmedBy !== 'not_confirmed' ? ` · serial ${done.serialConfirmedBy}` : ''}</span> : null}
              </div>
              <label>
                Status of {item.serial}
                <select value={draft.status} onChange={(event) => setDraft(item.id, { status: event.target.value as ReconciliationStatus })}>
                  {reconciliationStatuses.map((value) => <option key={value} value={value}>{statusLabels[value]}</option>)}
                </select>
              </label>
              <label>
                Grade of {item.serial}
                <select value={draft.grade} onChange={(event) => setDraft(item.id, { grade: event.target.value as ConditionGrade | '' })}>
                  <option value="">—</option>
                  {conditionGrades.map((value) => <option key={value} value={value}>{value}</option>)}
                </select>
              </label>
              <label className="check-label">
                <input type="checkbox" checked={draft.accessoriesChecked} onChange={(event) => setDraft(item.id, { accessoriesChecked: event.target.checked })} />
                Accessories checked for {item.serial}
              </label>
              <label>
                Serial seen on {item.serial}
                <input value={draft.serial} onChange={(event) => setDraft(item.id, { serial: event.target.value })} />
              </label>
              <button type="button" className="button-secondary" onClick={() => confirmTyped(item)}>Record {item.serial}</button>
            </li>
          );
        })}
      </ul>
      {unmatched ? (
        <div role="status" className="door-warning">
          <p>Scanned {unmatched}: it matches no expected item.</p>
          <button type="button" className="button-secondary" onClick={() => { void save({ itemId: newId(), draft: { status: 'recovered', grade: '', serial: unmatched, accessoriesChecked: false }, confirmedBy: 'scanner', unexpected: true }); setUnmatched(null); }}>
            Add {unmatched} as an unexpected item
          </button>
        </div>
      ) : null}
      {stale ? (
        <div role="alert" className="door-warning">
          <p>{stale.warning}</p>
          <label>
            Reason for going ahead
            <input value={staleReason} autoFocus onChange={(event) => setStaleReason(event.target.value)} />
          </label>
          <button type="button" className="button-secondary" onClick={() => void save(stale.pending, staleReason)}>Record anyway</button>
        </div>
      ) : null}
      {message ? <p role="alert" className="form-error">{message}</p> : null}
    </section>
  );
}
