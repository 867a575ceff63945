import { useState, type FormEvent } from 'react';
import { allowedPropertyEvents, returnMethods, type PersonalPropertyEventKind, type PersonalPropertyStatus, type ReturnMethod } from '../../../shared/domain/personal-property';
import { currentPlace } from './door-data';
import { personalPropertyRepository } from './personal-property-data';
import type { PropertyFate } from './personal-property-repository';
import { SignatureCapture, type SignedImage } from './SignatureCapture';

export const fateLabels: Record<PersonalPropertyEventKind, string> = {
  stored: 'Stored',
  returned: 'Returned to the customer',
  released: 'Released to someone else',
  disposed: 'Disposed of',
};

export const returnMethodLabels: Record<ReturnMethod, string> = {
  handed_over: 'handed over',
  collected_by_customer: 'collected by the customer',
  shipped: 'shipped',
};

interface Props {
  propertyId: string;
  jobId: string;
  description: string;
  status: PersonalPropertyStatus;
}

/** Records what became of one find: stored (where), returned (to whom, how, signed), released or disposed of (why). */
export function PropertyFateForm({ propertyId, jobId, description, status }: Props) {
  const kinds = allowedPropertyEvents(status);
  // Once stored, the next step is usually the return, not another move.
  const [kind, setKind] = useState<PersonalPropertyEventKind>(kinds.find((next) => next !== status) ?? 'stored');
  const [location, setLocation] = useState('');
  const [person, setPerson] = useState('');
  const [method, setMethod] = useState<ReturnMethod>('handed_over');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (kinds.length === 0) return null;
  const chosen = kinds.includes(kind) ? kind : (kinds[0] ?? 'stored');

  function fate(): PropertyFate {
    switch (chosen) {
      case 'stored':
        return { kind: 'stored', location };
      case 'returned':
        return { kind: 'returned', returnedTo: person, method, signatureHash: null };
      case 'released':
        return { kind: 'released', releasedTo: person, reason };
      case 'disposed':
        return { kind: 'disposed', reason };
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await personalPropertyRepository.recordEvent({ propertyId, fate: fate(), note, place: await currentPlace() });
      setLocation('');
      setPerson('');
      setReason('');
      setNote('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The change could not be recorded.');
    } finally {
      setBusy(false);
    }
  }

  /** The signature and the return are one record; a refusal (e.g. no name) keeps the pad as drawn. */
  async function returnSigned(signed: SignedImage) {
    const returnedTo = person.trim() ? person : signed.signerName;
    await personalPropertyRepository.recordEvent({
      propertyId,
      fate: { kind: 'returned', returnedTo, method, signatureHash: null },
      note,
      place: signed.place,
      signature: { signerName: signed.signerName, statement: signed.statement, image: signed.image },
    });
    setPerson('');
    setNote('');
    setSigning(false);
  }

  return (
    <form className="door-form property-fate" onSubmit={(event) => void submit(event)} noValidate aria-label={`What became of: ${description}`}>
      <div className="door-fields">
        <label>
          What became of it
          <select value={chosen} onChange={(event) => setKind(event.target.value as PersonalPropertyEventKind)}>
            {kinds.map((value) => <option key={value} value={value}>{fateLabels[value]}</option>)}
          </select>
        </label>
        {chosen === 'stored' ? (
          <label>
            Stored where
            <input value={location} maxLength={200} placeholder="e.g. Warehouse shelf B4, bag 17" onChange={(event) => setLocation(event.target.value)} />
          </label>
        ) : null}
        {chosen === 'returned' || chosen === 'released' ? (
          <label>
            {chosen === 'returned' ? 'Returned to (printed name)' : 'Released to'}
            <input value={person} maxLength={200} onChange={(event) => setPerson(event.target.value)} />
          </label>
        ) : null}
        {chosen === 'returned' ? (
          <label>
            How
            <select value={method} onChange={(event) => setMethod(event.target.value as ReturnMethod)}>
              {returnMethods.map((value) => <option key={value} value={value}>{returnMethodLabels[value]}</option>)}
            </select>
          </label>
        ) : null}
        {chosen === 'released' || chosen === 'disposed' ? (
          <label>
            Reason
            <input value={reason} maxLength={1000} onChange={(event) => setReason(event.target.value)} />
          </label>
        ) : null}
        <label>
          Note
          <input value={note} maxLength={1000} onChange={(event) => setNote(event.target.value)} />
        </label>
      </div>
      {chosen === 'returned' ? (
        <label className="inline-check">
          <input type="checkbox" checked={signing} onChange={(event) => setSigning(event.target.checked)} />
          The customer signs for it
        </label>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      {chosen === 'returned' && signing ? (
        <SignatureCapture
          jobId={jobId}
          role="customer"
          statement={`I received back my belongings: ${description}.`}
          record={{ label: 'Record the return with this signature', save: returnSigned }}
        />
      ) : (
        <button type="submit" className="button-primary" disabled={busy}>Record: {fateLabels[chosen].toLowerCase()}</button>
      )}
    </form>
  );
}
