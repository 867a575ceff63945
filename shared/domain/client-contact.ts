import { z } from 'zod';

/**
 * How a customer reaches the lessor (the client) about their account: printed on the receipt
 * left at the door, so the customer who asks "who do I call about this?" has an answer on paper.
 * Set per client by the dispatcher next to the client's checklist and sent to laptops with the
 * client's jobs. Every part is optional; a client that set none prints its name alone.
 */
export const ClientContact = z.object({
  phone: z.string().trim().max(40).nullable(),
  email: z.email().max(200).nullable(),
  address: z.string().trim().max(300).nullable(),
});
export type ClientContact = z.infer<typeof ClientContact>;

export const emptyClientContact: ClientContact = { phone: null, email: null, address: null };

/** Blank parts as null, so "" never prints as a contact. */
export function normalizedContact(contact: ClientContact): ClientContact {
  const part = (value: string | null) => (value === null || value.trim() === '' ? null : value.trim());
  return { phone: part(contact.phone), email: part(contact.email), address: part(contact.address) };
}

export function hasContact(contact: ClientContact | null | undefined): contact is ClientContact {
  return contact !== null && contact !== undefined && (contact.phone !== null || contact.email !== null || contact.address !== null);
}

/** "Phone 312 555 0100 · billing@acme.example · 1 Main St, Chicago" — the parts the client set, in one line. */
export function clientContactLine(contact: ClientContact | null | undefined): string | null {
  if (!hasContact(contact)) return null;
  return [contact.phone ? `Phone ${contact.phone}` : null, contact.email, contact.address].filter((part): part is string => part !== null).join(' · ');
}
