import type { Kysely } from 'kysely';
import { clientReadsChangeKind } from '../../shared/sync/door-protocol';
import type { Change } from '../../shared/sync/protocol';
import { custodyRepository } from '../custody/custody-repository';
import type { ChangeLogEntry } from '../store/change-log';
import type { Database } from '../store/schema';
import { doorRecordsRepository } from './door-records-repository';
import { personalPropertyRepository } from './personal-property-repository';

type DoorChange = Extract<Change, { entity: 'visit' | 'itemReconciliation' | 'photo' | 'signature' | 'custodyEvent' | 'personalProperty' | 'personalPropertyEvent' | 'customerReceipt' }>;

/**
 * Reads the door records a pull page names, in a few queries, and turns a log row into its
 * change. Kinds newer than the client's protocol version are left out (null): the cursor still
 * moves past them, and the client never sees a change it cannot parse.
 */
export async function doorSnapshots(db: Kysely<Database>, page: readonly ChangeLogEntry[], protocolVersion: number) {
  const readable = page.filter((row) => clientReadsChangeKind(row.entity, protocolVersion));
  const ids = (entity: ChangeLogEntry['entity']) => readable.filter((row) => row.entity === entity).map((row) => row.entityId);
  const records = doorRecordsRepository(db);
  const property = personalPropertyRepository(db);
  const [visits, reconciliations, photos, signatures, events, propertyEntries, propertyEvents, receipts] = await Promise.all([
    records.visitsWithDepartures(ids('visit')),
    records.reconciliations.byIds(ids('itemReconciliation')),
    records.photos.byIds(ids('photo')),
    records.signatures.byIds(ids('signature')),
    custodyRepository(db).eventsByIds(ids('custodyEvent')),
    property.entriesByIds(ids('personalProperty')),
    property.eventsByIds(ids('personalPropertyEvent')),
    records.receipts.byIds(ids('customerReceipt')),
  ]);
  return (row: ChangeLogEntry, seq: string): DoorChange | null => {
    const op = 'upsert' as const;
    if (!clientReadsChangeKind(row.entity, protocolVersion)) return null;
    switch (row.entity) {
      case 'visit': {
        const data = visits.get(row.entityId);
        return data ? { seq, entity: 'visit', op, data } : null;
      }
      case 'itemReconciliation': {
        const data = reconciliations.get(row.entityId);
        return data ? { seq, entity: 'itemReconciliation', op, data } : null;
      }
      case 'photo': {
        const data = photos.get(row.entityId);
        return data ? { seq, entity: 'photo', op, data } : null;
      }
      case 'signature': {
        const data = signatures.get(row.entityId);
        return data ? { seq, entity: 'signature', op, data } : null;
      }
      case 'custodyEvent': {
        const data = events.get(row.entityId);
        return data ? { seq, entity: 'custodyEvent', op, data } : null;
      }
      case 'personalProperty': {
        const data = propertyEntries.get(row.entityId);
        return data ? { seq, entity: 'personalProperty', op, data } : null;
      }
      case 'personalPropertyEvent': {
        const data = propertyEvents.get(row.entityId);
        return data ? { seq, entity: 'personalPropertyEvent', op, data } : null;
      }
      case 'customerReceipt': {
        const data = receipts.get(row.entityId);
        return data ? { seq, entity: 'customerReceipt', op, data } : null;
      }
      default:
        return null;
    }
  };
}
