import { useState, type FormEvent } from 'react';
import { contactMethods, visitOutcomes, type ContactMethod, type VisitOutcome } from '../../../shared/domain/visit';
import { RuleWarningError } from './door-errors';
import { currentPlace, doorRepository } from './door-data';

export const outcomeLabels: Record<VisitOutcome, string> = {
  recovered: 'Recovered',
  partial: 'Partly recovered',
  nobody_home: 'Nobody home',
  refused_objection: 'Refused / objection',
  not_at_address: 'Not at this address',
  unsafe: 'Unsafe — left',
  customer_paid: 'Customer paid / redeemed',
  wrong_address: 'Wrong address',
};

const methodLabels: Record<ContactMethod, string> = { door: 'At the door', phone: 'By phone', notice_left: 'Notice left', none: 'No contact' };

/** Logs a visit: when, where (if the laptop can tell), who was contacted and how, and the outcome. */
export function ArrivalForm({ jobId, onLogged }: { jobId: string; onLogged?: () => void }) {
  const [method, setMethod] = useState<ContactMethod>('door');
  const [contact, setContact] = useState('');
  // No outcome until the agent picks one: a preset "Recovered" would be a claim nobody made.
  const [outcome, setOutcome] = useState<VisitOutcome | ''>('');
  const [notes, setNotes] = useState('');
  const [warning, setWarning] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (outcome === '') {
      setError('Choose the outcome of this visit, then log the arrival.');
      return;
    }
    setBusy(true);
    try {
      const place = await currentPlace();
      await doorRepository.recordVisit({
        jobId,
        arrivedAt: new Date(),
        place,
        contactName: contact,
        contactMethod: method,
        outcome,
        notes,
        ...(warning ? { contactHoursOverride: overrideReason } : {}),
      });
      // The next visit is a new record: nothing of this one carries over into it.
      setMethod('door');
      setContact('');
      setOutcome('');
      setNotes('');
      setWarning(null);
      setOverrideReason('');
      onLogged?.();
    } catch (caught) {
      if (caught instanceof RuleWarningError) setWarning(caught.warning);
      else setError(caught instanceof Error ? caught.message : 'The visit could not be saved.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="door-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Log arrival">
      <div className="door-fields">
        <label>
          Contact method
          <select value={method} onChange={(event) => setMethod(event.target.value as ContactMethod)}>
            {contactMethods.map((value) => (
              <option key={value} value={value}>{methodLabels[value]}</option>
            ))}
          </select>
        </label>
        <label>
          Who was contacted
          <input value={contact} maxLength={200} onChange={(event) => setContact(event.target.value)} />
        </label>
        <label>
          Outcome
          <select value={outcome} required aria-invalid={error !== null && outcome === '' ? true : undefined} onChange={(event) => setOutcome(event.target.value as VisitOutcome | '')}>
            <option value="">Choose the outcome…</option>
            {visitOutcomes.map((value) => (
              <option key={value} value={value}>{outcomeLabels[value]}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Visit notes
        <textarea rows={2} maxLength={5000} value={notes} onChange={(event) => setNotes(event.target.value)} />
      </label>
      {warning ? (
        <div className="door-warning" role="alert">
          <p>{warning}</p>
          <label>
            Reason for contacting now
            <input value={overrideReason} autoFocus onChange={(event) => setOverrideReason(event.target.value)} />
          </label>
        </div>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page body. */}
      <button type="submit" className="button-primary" aria-disabled={busy}>{warning ? 'Log arrival anyway' : 'Log arrival'}</button>
    </form>
  );
}
