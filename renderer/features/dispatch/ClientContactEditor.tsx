import { useEffect, useState, type FormEvent } from 'react';
import { ClientContact, emptyClientContact } from '../../../shared/domain/client-contact';
import { formatMoment } from '../../ui/date-format';
import type { DispatchClient } from './dispatch-client';

type Field = keyof ClientContact;
const fieldLabels: Record<Field, string> = { phone: 'Phone', email: 'Email', address: 'Postal address' };
const fields = Object.keys(fieldLabels) as Field[];

/**
 * How the client's customers reach it about their account: printed on the receipt the agent
 * leaves at the door. Laptops get it with the client's open jobs at their next sync.
 */
export function ClientContactEditor({ clientId, client }: { clientId: string; client: DispatchClient }) {
  const [contact, setContact] = useState<Record<Field, string> | null>(null);
  const [state, setState] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!clientId) return undefined;
    let live = true;
    client
      .clientContact(clientId)
      .then((answer) => {
        if (!live) return;
        setContact({ phone: answer.contact.phone ?? '', email: answer.contact.email ?? '', address: answer.contact.address ?? '' });
        setState(answer.updatedAt ? `Last changed ${formatMoment(answer.updatedAt)}.` : 'No contact line yet: receipts name the client only.');
      })
      .catch((caught: unknown) => live && setError(caught instanceof Error ? caught.message : 'The contact line could not be loaded.'));
    return () => {
      live = false;
    };
  }, [clientId, client]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!contact) return;
    setError(null);
    const blank = (value: string) => (value.trim() === '' ? null : value.trim());
    const parsed = ClientContact.safeParse({ ...emptyClientContact, phone: blank(contact.phone), email: blank(contact.email), address: blank(contact.address) });
    if (!parsed.success) {
      setError(`Check the contact line: ${parsed.error.issues.map((issue) => `${fieldLabels[issue.path[0] as Field] ?? 'a field'} ${issue.message}`).join('; ')}.`);
      return;
    }
    try {
      await client.saveClientContact(clientId, parsed.data);
      setState('Saved. Receipts made after the agents’ next sync show it.');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The contact line could not be saved.');
    }
  }

  if (!contact) return error ? <p role="alert" className="form-error">{error}</p> : null;
  return (
    <form onSubmit={(event) => void save(event)}>
      <fieldset>
        <legend>How customers reach this client (printed on door receipts)</legend>
        {fields.map((field) => (
          <label key={field}>
            {fieldLabels[field]}
            <input
              type={field === 'email' ? 'email' : field === 'phone' ? 'tel' : 'text'}
              value={contact[field]}
              maxLength={field === 'address' ? 300 : field === 'phone' ? 40 : 200}
              onChange={(event) => setContact({ ...contact, [field]: event.target.value })}
            />
          </label>
        ))}
        <button type="submit" className="button-primary">Save contact line</button>
      </fieldset>
      {state ? <p role="status" className="muted">{state}</p> : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </form>
  );
}
