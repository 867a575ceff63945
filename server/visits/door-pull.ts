import type { Kysely } from 'kysely';
import type { Change } from '../../shared/sync/protocol';
import { custodyRepository } from '../custody/custody-repository';
import type { ChangeLogEntry } from '../store/change-log';
import type { Database } from '../store/schema';
import { doorRecordsRepository } from './door-records-repository';

type DoorChange = Extract<Change, { entity: 'visit' | 'itemReconciliation' | 'photo' | 'signature' | 'custodyEvent' }>;

/** Reads the door records a pull page names, in a few queries, and turns a log row into its change. */
export async function doorSnapshots(db: Kysely<Database>, page: readonly ChangeLogEntry[]) {
  const ids = (entity: ChangeLogEntry['entity']) => page.filter((row) => row.entity === entity).map((row) => row.entityId);
  const records = doorRecordsRepository(db);
  const [visits, reconciliations, photos, signatures, events] = await Promise.all([
    records.visitsWithDepartures(ids('visit')),
    records.reconciliations.byIds(ids('itemReconciliation')),
    records.photos.byIds(ids('photo')),
    records.signatures.byIds(ids('signature')),
    custodyRepository(db).eventsByIds(ids('custodyEvent')),
  ]);
  return (row: ChangeLogEntry, seq: string): DoorChange | null => {
    const op = 'upsert' as const;
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
      default:
        return null;
    }
  };
}
