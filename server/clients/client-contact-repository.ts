import type { Kysely } from 'kysely';
import { ClientContact } from '../../shared/domain/client-contact';
import type { Database } from '../store/schema';
import { resendOpenJobsOf } from './client-requirements-repository';

export interface StoredContact {
  readonly contact: ClientContact;
  readonly updatedAt: string;
}

/** How customers reach each client (printed on door receipts); clients that set none have no row. */
export function clientContactRepository(db: Kysely<Database>) {
  return {
    async find(clientId: string): Promise<StoredContact | null> {
      const row = await db.selectFrom('client_contacts').select(['contact_json', 'updated_at']).where('client_id', '=', clientId).executeTakeFirst();
      return row ? { contact: ClientContact.parse(JSON.parse(row.contact_json)), updatedAt: row.updated_at } : null;
    },

    async forClients(clientIds: readonly string[]): Promise<Map<string, ClientContact>> {
      if (clientIds.length === 0) return new Map();
      const rows = await db.selectFrom('client_contacts').select(['client_id', 'contact_json']).where('client_id', 'in', [...clientIds]).execute();
      return new Map(rows.map((row) => [row.client_id, ClientContact.parse(JSON.parse(row.contact_json))]));
    },

    /**
     * Saves the contact and re-sends the client's open jobs to the office and their agents, so the
     * next receipt printed at a door (offline) carries it. Run it in a transaction.
     */
    async save(clientId: string, contact: ClientContact, userId: string, at: string): Promise<void> {
      const values = { contact_json: JSON.stringify(contact), updated_at: at, updated_by_user_id: userId };
      await db
        .insertInto('client_contacts')
        .values({ client_id: clientId, ...values })
        .onConflict((conflict) => conflict.column('client_id').doUpdateSet(values))
        .execute();
      await resendOpenJobsOf(db, clientId);
    },
  };
}
