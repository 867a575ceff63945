import type { Change } from '../../../shared/sync/protocol';
import type { ReclaimDatabase } from '../../db/schema';

export type DoorChange = Extract<
  Change,
  { entity: 'visit' | 'itemReconciliation' | 'photo' | 'signature' | 'custodyEvent' | 'personalProperty' | 'personalPropertyEvent' | 'customerReceipt' }
>;

/** The tables a pulled door record may touch; pull-apply joins them to its one transaction. */
export function doorPullTables(db: ReclaimDatabase) {
  return [db.visits, db.itemReconciliations, db.photos, db.signatures, db.custodyEvents, db.custodyHeads, db.personalProperty, db.personalPropertyEvents, db.customerReceipts];
}

/**
 * Door records merge by union: a pulled record is stored if new and otherwise left alone, since
 * a record never changes after it is made. A pulled custody event also advances this device's
 * chain head for its items, so a hand-over recorded here continues the chain made elsewhere.
 */
export async function applyDoorChange(db: ReclaimDatabase, change: DoorChange): Promise<void> {
  switch (change.entity) {
    case 'visit': {
      const held = await db.visits.get(change.data.id);
      if (!held) await db.visits.add(change.data);
      // The one fact a visit gains later: its departure, recorded as its own record and folded in.
      else if (held.departedAt === null && change.data.departedAt !== null) await db.visits.update(held.id, { departedAt: change.data.departedAt });
      return;
    }
    case 'itemReconciliation':
      if (!(await db.itemReconciliations.get(change.data.id))) await db.itemReconciliations.add(change.data);
      return;
    case 'photo':
      if (!(await db.photos.get(change.data.id))) await db.photos.add({ ...change.data, thumbnail: null });
      return;
    case 'signature':
      if (!(await db.signatures.get(change.data.id))) await db.signatures.add(change.data);
      return;
    case 'custodyEvent': {
      if (await db.custodyEvents.get(change.data.id)) return;
      await db.custodyEvents.add(change.data);
      for (const item of change.data.items) {
        const head = await db.custodyHeads.get(item.itemId);
        // Only move the head forward: the pulled event must continue from what this device holds.
        if (!head || head.eventHash === item.previousEventHash) {
          await db.custodyHeads.put({ itemId: item.itemId, eventHash: change.data.hash, eventId: change.data.id });
        }
      }
      return;
    }
    case 'personalProperty':
      if (!(await db.personalProperty.get(change.data.id))) await db.personalProperty.add(change.data);
      return;
    case 'personalPropertyEvent':
      if (!(await db.personalPropertyEvents.get(change.data.id))) await db.personalPropertyEvents.add(change.data);
      return;
    case 'customerReceipt':
      // The PDF is fetched from the server when someone opens it; a laptop that made it holds it already.
      if (!(await db.customerReceipts.get(change.data.id))) await db.customerReceipts.add(change.data);
      return;
  }
}
