import { useState } from 'react';
import { checklistBlocksClosing, checklistOverrideNote, withRefusal } from '../../../shared/domain/client-requirements';
import { isTypedSignature, refusalAttestation, refusalNote } from '../../../shared/domain/customer-refusal';
import type { ExpectedItem } from '../../../shared/domain/job';
import type { User } from '../../../shared/domain/roles';
import { currentPlace, custodyRecorder, type DoorWork } from '../capture/door-data';
import { SignatureCapture } from '../capture/SignatureCapture';
import { CustodyMoves } from './CustodyMoves';
import { emptyRefusal, RefusalForm, type RefusalDraft } from './RefusalForm';
import { formatMoment } from '../../ui/date-format';
import { useFocusWhen } from '../../ui/use-focus-when';

const kindLabels: Record<string, string> = {
  collected: 'Collected from the customer',
  transferred: 'Transferred',
  received: 'Received at the warehouse',
  sealed: 'Sealed',
  returned_to_client: 'Returned to the client',
  disposed: 'Disposed',
};

interface Props {
  jobId: string;
  clientName: string;
  me: User;
  items: readonly ExpectedItem[];
  work: DoorWork;
  pendingIds: ReadonlySet<string>;
}

/**
 * The custody chain for this job: the collection (customer → agent, with the customer's
 * signature and the photos) and the warehouse hand-over (agent → warehouse, the clerk signing
 * on this laptop). Each is hashed, chained per item and signed with this laptop's key.
 */
export function CustodyActions({ jobId, clientName, me, items, work, pendingIds }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [clerkSignatureId, setClerkSignatureId] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [refusing, setRefusing] = useState(false);
  const [refusal, setRefusal] = useState<RefusalDraft>(emptyRefusal);
  // What this laptop just recorded, so the focus can move on to the step that follows it.
  const [justRecorded, setJustRecorded] = useState<'collected' | 'received' | null>(null);
  const atWarehouse = useFocusWhen<HTMLParagraphElement>(justRecorded === 'received');
  // A refusal stands in for the customer's signature on the checklist; the rest still needs a reason.
  const checklist = refusing ? withRefusal(work.checklist, { kind: refusal.kind, reason: refusal.reason || 'reason not given yet' }) : work.checklist;
  const unmet = checklistBlocksClosing(checklist);
  const serialOf = new Map(items.map((item) => [item.id, item.serial]));
  const taken = work.effective
    .filter((line) => line.status === 'recovered' || line.status === 'damaged')
    .map((line) => ({ itemId: line.itemId, serial: serialOf.get(line.itemId) ?? line.unexpected?.serial ?? line.serialSeen ?? 'unknown' }));
  const customerSignature = work.signatures.filter((signature) => signature.signerRole === 'customer').at(-1);
  // The agent countersigns the collection: both sides of the first hand-over sign for it.
  const agentSignature = work.signatures.filter((signature) => signature.signerRole === 'agent' && signature.byUserId === me.id).at(-1);
  const collected = work.custodyEvents.some((event) => event.kind === 'collected');
  const received = work.custodyEvents.some((event) => event.kind === 'received');
  const clerkSignature = work.signatures.find((signature) => signature.id === clerkSignatureId);
  const serials = taken.map((item) => item.serial).join(', ');

  async function record(run: () => Promise<unknown>, done: 'collected' | 'received') {
    setError(null);
    try {
      await run();
      setJustRecorded(done);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The custody record could not be saved.');
    }
  }

  const recordCollection = () =>
    record(async () => {
      if (taken.length === 0) throw new Error('Record at least one item as recovered first.');
      if (refusing) return recordRefusedCollection();
      if (!customerSignature) throw new Error("Get the customer's signature first, or tick “Customer declined to sign”.");
      if (!agentSignature) throw new Error('Countersign the collection first (your own signature).');
      // The client's checklist gates the collection; going past it is signed into the event itself.
      const overrideNote = checklistOverrideNote(work.checklist, overrideReason);
      await custodyRecorder.record({
        jobId,
        kind: 'collected',
        from: { role: 'customer', name: customerSignature.signerName, userId: null },
        to: { role: 'agent', name: me.displayName, userId: me.id },
        items: taken,
        place: await currentPlace(),
        photoHashes: work.photos.map((photo) => photo.sha256),
        signatureHashes: [customerSignature.sha256, agentSignature.sha256],
        ...(overrideNote ? { note: overrideNote } : {}),
      });
    }, 'collected');

  /**
   * The collection without the customer's signature: the customer is still the `from` party by
   * name, only the agent's signature is hashed in, and the refusal is the event's signed note.
   */
  async function recordRefusedCollection() {
    const customerName = refusal.customerName.trim();
    if (customerName.length < 2) throw new Error("Type the customer's name.");
    if (refusal.reason.trim().length < 3) throw new Error('Say why the customer did not sign.');
    if (!refusal.attested) throw new Error('Tick the attestation: you saw the refusal and collected the items.');
    if (!agentSignature) throw new Error('Countersign the collection first (your own signature).');
    const otherMissing = checklistOverrideNote(withRefusal(work.checklist, refusal), overrideReason);
    const note = refusalNote({
      kind: refusal.kind,
      customerName,
      reason: refusal.reason.trim(),
      attestation: refusalAttestation(me.displayName, customerName, refusal.kind),
      agentName: me.displayName,
      witnessName: refusal.witnessName.trim() || null,
      photoHashes: refusal.photoHashes,
      otherMissing,
    });
    await custodyRecorder.record({
      jobId,
      kind: 'collected',
      from: { role: 'customer', name: customerName, userId: null },
      to: { role: 'agent', name: me.displayName, userId: me.id },
      items: taken,
      place: await currentPlace(),
      photoHashes: work.photos.map((photo) => photo.sha256),
      signatureHashes: [agentSignature.sha256],
      note,
    });
  }

  const recordHandOver = () =>
    record(async () => {
      if (!clerkSignature) throw new Error("Get the warehouse clerk's signature first.");
      await custodyRecorder.record({
        jobId,
        kind: 'received',
        from: { role: 'agent', name: me.displayName, userId: me.id },
        to: { role: 'warehouse', name: clerkSignature.signerName, userId: null },
        items: taken,
        place: await currentPlace(),
        photoHashes: [],
        signatureHashes: [clerkSignature.sha256],
      });
    }, 'received');

  return (
    <section aria-labelledby="custody-heading" className="door-section">
      <h4 id="custody-heading">Chain of custody</h4>
      <ol className="custody-list" aria-label="Custody events">
        {work.custodyEvents.map((event) => (
          <li key={event.id}>
            <strong>{kindLabels[event.kind] ?? event.kind}</strong> · {formatMoment(event.at)} · {event.items.length} item{event.items.length === 1 ? '' : 's'} ·{' '}
            <code title={event.hash}>{event.hash.slice(0, 12)}</code>
            {event.note ? <span className="muted"> · {event.note}</span> : null}
            {pendingIds.has(event.id) ? <span className="muted"> · waiting to sync</span> : null}
          </li>
        ))}
      </ol>
      {!collected ? (
        <>
          {/* Keyed: without it React reuses the agent's pad, its typed-name choice included, for the clerk. */}
          <SignatureCapture
            key="agent"
            jobId={jobId}
            role="agent"
            statement={`I, ${me.displayName}, took ${serials || 'the items listed'} from ${(refusing ? refusal.customerName.trim() : customerSignature?.signerName) || 'the customer'}.`}
          />
          <label className="inline-choice">
            <input type="checkbox" checked={refusing} onChange={(event) => setRefusing(event.target.checked)} />
            Customer declined to sign (or cannot sign)
          </label>
          {refusing ? <RefusalForm draft={refusal} onChange={setRefusal} agentName={me.displayName} photos={work.photos} /> : null}
          {customerSignature && !refusing ? (
            <p className="muted" data-testid="customer-signed">
              Signed by {customerSignature.signerName}
              {isTypedSignature(customerSignature) ? ' with a typed name, the statement accepted' : ''}.
            </p>
          ) : null}
          {agentSignature ? <p className="muted" data-testid="countersigned">Countersigned by {agentSignature.signerName}.</p> : null}
          {unmet ? (
            <div className="door-warning" data-testid="checklist-blocks">
              <p>The client's requirements are not met yet. Capture the missing evidence, or give a reason to record the collection without it (the reason is kept with the record).</p>
              <label>
                Reason for going ahead without it
                <input value={overrideReason} onChange={(event) => setOverrideReason(event.target.value)} />
              </label>
            </div>
          ) : null}
          <button type="button" className="button-primary" onClick={() => void recordCollection()}>
            {unmet ? 'Record collection anyway' : 'Record collection'}
          </button>
        </>
      ) : !received ? (
        <>
          <SignatureCapture key="warehouse_clerk" jobId={jobId} role="warehouse_clerk" statement={`I received ${serials} from ${me.displayName}.`} onSaved={(signature) => setClerkSignatureId(signature.id)} autoFocus={justRecorded === 'collected'} />
          <button type="button" className="button-primary" onClick={() => void recordHandOver()} disabled={!clerkSignature}>Record hand-over to warehouse</button>
        </>
      ) : (
        <p className="muted" tabIndex={-1} ref={atWarehouse}>The items are at the warehouse.</p>
      )}
      {collected ? <CustodyMoves jobId={jobId} clientName={clientName} me={me} items={taken} work={work} /> : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </section>
  );
}
