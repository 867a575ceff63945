import { useState } from 'react';
import type { CustodyParty } from '../../../shared/custody/custody-event';
import type { User } from '../../../shared/domain/roles';
import { currentPlace, custodyRecorder, type DoorWork } from '../capture/door-data';
import { SignatureCapture } from '../capture/SignatureCapture';
import { formatMoment } from '../../ui/date-format';

type MoveKind = 'sealed' | 'transferred' | 'returned_to_client';

const moveLabels: Record<MoveKind, string> = {
  sealed: 'Seal in a bag or box',
  transferred: 'Transfer to another agent or a carrier',
  returned_to_client: 'Return to the client',
};

interface Props {
  jobId: string;
  clientName: string;
  me: User;
  /** The items the chain holds, with the serial each carries. */
  items: readonly { itemId: string; serial: string }[];
  work: DoorWork;
}

/**
 * The custody events after the collection: sealed (with the seal number), transferred (to an
 * agent or a carrier, who signs), returned to the client; and corrections. Each continues from
 * whoever holds the items now (the last event's receiving party). A recorded event is never
 * edited: a correction is a new event naming the one it corrects, with what was wrong.
 */
export function CustodyMoves({ jobId, clientName, me, items, work }: Props) {
  const [kind, setKind] = useState<MoveKind>('sealed');
  const [sealNumber, setSealNumber] = useState('');
  const [toRole, setToRole] = useState<'agent' | 'carrier'>('carrier');
  const [toName, setToName] = useState('');
  const [note, setNote] = useState('');
  const [signatureId, setSignatureId] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState('');
  const [correction, setCorrection] = useState('');
  const [error, setError] = useState<string | null>(null);
  const last = work.custodyEvents.at(-1);
  const holder: CustodyParty = last?.to ?? { role: 'agent', name: me.displayName, userId: me.id };
  const signature = work.signatures.find((entry) => entry.id === signatureId);

  async function record(run: () => Promise<unknown>, done: () => void) {
    setError(null);
    try {
      await run();
      done();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The custody record could not be saved.');
    }
  }

  const recordMove = () =>
    record(
      async () => {
        const to: CustodyParty =
          kind === 'sealed' ? holder : kind === 'returned_to_client' ? { role: 'client', name: toName.trim() || clientName, userId: null } : { role: toRole, name: toName.trim(), userId: null };
        if (kind === 'sealed' && !sealNumber.trim()) throw new Error('Type the seal number printed on the bag or box.');
        if (kind === 'transferred' && !to.name) throw new Error('Name who takes the items.');
        if (kind === 'transferred' && !signature) throw new Error(`Get the ${toRole}'s signature first.`);
        await custodyRecorder.record({
          jobId,
          kind,
          from: holder,
          to,
          items: [...items],
          place: await currentPlace(),
          photoHashes: [],
          signatureHashes: signature ? [signature.sha256] : [],
          sealNumber: kind === 'sealed' ? sealNumber.trim() : null,
          note: note.trim(),
        });
      },
      () => {
        setSealNumber('');
        setToName('');
        setNote('');
        setSignatureId(null);
      },
    );

  const recordCorrection = () =>
    record(
      async () => {
        const corrected = work.custodyEvents.find((event) => event.id === correcting);
        if (!corrected) throw new Error('Choose the event to correct.');
        if (correction.trim().length < 3) throw new Error('Say what was wrong and what is right.');
        await custodyRecorder.record({
          jobId,
          kind: corrected.kind,
          from: corrected.from,
          to: corrected.to,
          items: corrected.items.map((item) => ({ itemId: item.itemId, serial: item.serial })),
          place: await currentPlace(),
          photoHashes: [],
          signatureHashes: [],
          sealNumber: corrected.sealNumber,
          correctsEventId: corrected.id,
          note: `Correction: ${correction.trim()}`,
        });
      },
      () => {
        setCorrecting('');
        setCorrection('');
      },
    );

  return (
    <fieldset className="custody-moves">
      <legend>Custody after the collection</legend>
      <p className="muted">Now held by: {holder.name} ({holder.role})</p>
      <label>
        Custody event
        <select value={kind} onChange={(event) => setKind(event.target.value as MoveKind)}>
          {(Object.keys(moveLabels) as MoveKind[]).map((value) => <option key={value} value={value}>{moveLabels[value]}</option>)}
        </select>
      </label>
      {kind === 'sealed' ? (
        <label>
          Seal number
          <input value={sealNumber} maxLength={80} onChange={(event) => setSealNumber(event.target.value)} />
        </label>
      ) : null}
      {kind === 'transferred' ? (
        <>
          <label>
            Transfer to
            <select value={toRole} onChange={(event) => setToRole(event.target.value as 'agent' | 'carrier')}>
              <option value="carrier">a carrier</option>
              <option value="agent">another agent</option>
            </select>
          </label>
          <label>
            Name of who takes the items
            <input value={toName} maxLength={200} onChange={(event) => setToName(event.target.value)} />
          </label>
          <SignatureCapture jobId={jobId} role={toRole} statement={`I took ${items.map((item) => item.serial).join(', ')} from ${holder.name}.`} onSaved={(saved) => setSignatureId(saved.id)} />
        </>
      ) : null}
      {kind === 'returned_to_client' ? (
        <label>
          Received for the client by
          <input value={toName} placeholder={clientName} maxLength={200} onChange={(event) => setToName(event.target.value)} />
        </label>
      ) : null}
      <label>
        Note for the record
        <input value={note} maxLength={2000} onChange={(event) => setNote(event.target.value)} />
      </label>
      <button type="button" className="button-primary" onClick={() => void recordMove()}>Record custody event</button>

      {work.custodyEvents.length > 0 ? (
        <div className="custody-correction">
          <label>
            Event to correct
            <select value={correcting} onChange={(event) => setCorrecting(event.target.value)}>
              <option value="">—</option>
              {work.custodyEvents.map((event) => (
                <option key={event.id} value={event.id}>{event.kind} · {formatMoment(event.at)} · {event.hash.slice(0, 12)}</option>
              ))}
            </select>
          </label>
          <label>
            What was wrong, and what is right
            <input value={correction} maxLength={1900} onChange={(event) => setCorrection(event.target.value)} />
          </label>
          <button type="button" className="button-secondary" onClick={() => void recordCorrection()}>Record correction</button>
        </div>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </fieldset>
  );
}
