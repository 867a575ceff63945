import { useState } from 'react';
import { checklistBlocksClosing, checklistOverrideNote } from '../../../shared/domain/client-requirements';
import type { ExpectedItem } from '../../../shared/domain/job';
import type { User } from '../../../shared/domain/roles';
import { currentPlace, custodyRecorder, type DoorWork } from '../capture/door-data';
import { SignatureCapture } from '../capture/SignatureCapture';
import { CustodyMoves } from './CustodyMoves';

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
  const unmet = checklistBlocksClosing(work.checklist);
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

  async function record(run: () => Promise<unknown>) {
    setError(null);
    try {
      await run();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The custody record could not be saved.');
    }
  }

  const recordCollection = () =>
    record(async () => {
      if (taken.length === 0) throw new Error('Record at least one item as recovered first.');
      if (!customerSignature) throw new Error("Get the customer's signature first.");
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
    });

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
    });

  return (
    <section aria-labelledby="custody-heading" className="door-section">
      <h4 id="custody-heading">Chain of custody</h4>
      <ol className="custody-list" aria-label="Custody events">
        {work.custodyEvents.map((event) => (
          <li key={event.id}>
            <strong>{kindLabels[event.kind] ?? event.kind}</strong> · {new Date(event.at).toLocaleString()} · {event.items.length} item{event.items.length === 1 ? '' : 's'} ·{' '}
            <code title={event.hash}>{event.hash.slice(0, 12)}</code>
            {event.note ? <span className="muted"> · {event.note}</span> : null}
            {pendingIds.has(event.id) ? <span className="muted"> · waiting to sync</span> : null}
          </li>
        ))}
      </ol>
      {!collected ? (
        <>
          <SignatureCapture
            jobId={jobId}
            role="agent"
            statement={`I, ${me.displayName}, took ${serials || 'the items listed'} from ${customerSignature?.signerName ?? 'the customer'}.`}
          />
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
          <button type="button" onClick={() => void recordCollection()}>
            {unmet ? 'Record collection anyway' : 'Record collection'}
          </button>
        </>
      ) : !received ? (
        <>
          <SignatureCapture jobId={jobId} role="warehouse_clerk" statement={`I received ${serials} from ${me.displayName}.`} onSaved={(signature) => setClerkSignatureId(signature.id)} />
          <button type="button" onClick={() => void recordHandOver()} disabled={!clerkSignature}>Record hand-over to warehouse</button>
        </>
      ) : (
        <p className="muted">The items are at the warehouse.</p>
      )}
      {collected ? <CustodyMoves jobId={jobId} clientName={clientName} me={me} items={taken} work={work} /> : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </section>
  );
}
