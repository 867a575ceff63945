import type { Kysely } from 'kysely';
import { CustodyEvent, DeviceKey } from '../../shared/custody/custody-event';
import { deferToCommit, writeTransaction } from '../store/change-log';
import type { Database } from '../store/schema';
import { appendToCustodyLog, logLeafFor } from '../trust/custody-log';

/** The signed fields the CSV export reads as columns (migration 0020), copied from the event itself. */
function csvColumnsOf(event: CustodyEvent) {
  return {
    from_role: event.from.role,
    from_name: event.from.name,
    to_role: event.to.role,
    to_name: event.to.name,
    lat: event.place?.lat ?? null,
    lon: event.place?.lon ?? null,
    seal_number: event.sealNumber,
    corrects_event_id: event.correctsEventId,
    note: event.note,
    device_id: event.deviceId,
    recorded_by_user_id: event.recordedByUserId,
    photo_hashes: event.photoHashes.join(' '),
    signature_hashes: event.signatureHashes.join(' '),
  };
}

/** The custody chain as the server keeps it: events, their items, each item's head, device keys. */
export function custodyRepository(db: Kysely<Database>) {
  return {
    async deviceKey(id: string): Promise<DeviceKey | null> {
      const row = await db.selectFrom('device_keys').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      return DeviceKey.parse({ id: row.id, deviceId: row.device_id, userId: row.user_id, algorithm: 'Ed25519', publicKey: row.public_key, createdAt: row.created_at });
    },

    async addDeviceKey(key: DeviceKey, registeredAt: string): Promise<void> {
      await db
        .insertInto('device_keys')
        .values({ id: key.id, device_id: key.deviceId, user_id: key.userId, public_key: key.publicKey, created_at: key.createdAt, registered_at: registeredAt })
        .execute();
    },

    async deviceKeys(ids: readonly string[]): Promise<DeviceKey[]> {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('device_keys').select('id').where('id', 'in', [...ids]).execute();
      const keys = await Promise.all(rows.map((row) => this.deviceKey(row.id)));
      return keys.filter((key): key is DeviceKey => key !== null);
    },

    async eventExists(id: string): Promise<boolean> {
      return (await db.selectFrom('custody_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async hashExists(hash: string): Promise<boolean> {
      return (await db.selectFrom('custody_events').select('id').where('hash', '=', hash).executeTakeFirst()) !== undefined;
    },

    async heads(itemIds: readonly string[]): Promise<Map<string, string>> {
      if (itemIds.length === 0) return new Map();
      const rows = await db.selectFrom('custody_item_heads').selectAll().where('item_id', 'in', [...itemIds]).execute();
      return new Map(rows.map((row) => [row.item_id, row.event_hash]));
    },

    /** Stores an accepted event and appends it to the custody log, in one transaction. */
    async append(event: CustodyEvent, hlc: string, receivedAt: string): Promise<void> {
      if (!db.isTransaction) {
        await writeTransaction(db, (trx) => custodyRepository(trx).append(event, hlc, receivedAt));
        return;
      }
      await db
        .insertInto('custody_events')
        .values({
          id: event.id,
          job_id: event.jobId,
          hash: event.hash,
          kind: event.kind,
          at: event.at,
          device_key_id: event.deviceKeyId,
          data_json: JSON.stringify(event),
          hlc,
          received_at: receivedAt,
          ...csvColumnsOf(event),
        })
        .execute();
      await db
        .insertInto('custody_event_items')
        .values(event.items.map((item, position) => ({ event_id: event.id, item_id: item.itemId, serial: item.serial, previous_event_hash: item.previousEventHash, position })))
        .execute();
      for (const item of event.items) {
        await db
          .insertInto('custody_item_heads')
          .values({ item_id: item.itemId, event_hash: event.hash })
          .onConflict((conflict) => conflict.column('item_id').doUpdateSet({ event_hash: event.hash }))
          .execute();
      }
      // Leaf order is commit order: appended under the change-log lock at the end of a write transaction.
      const leaf = logLeafFor(event, receivedAt);
      await deferToCommit(db, async (trx) => {
        await appendToCustodyLog(trx, leaf);
      });
    },

    /** A job's events in the order the server accepted them: the order a verifier walks. */
    async eventsOfJob(jobId: string): Promise<CustodyEvent[]> {
      const rows = await db.selectFrom('custody_events').select('data_json').where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map((row) => CustodyEvent.parse(JSON.parse(row.data_json)));
    },

    async eventsByIds(ids: readonly string[]): Promise<Map<string, CustodyEvent>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('custody_events').select(['id', 'data_json']).where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, CustodyEvent.parse(JSON.parse(row.data_json))]));
    },

    async eventByHash(hash: string): Promise<CustodyEvent | null> {
      const row = await db.selectFrom('custody_events').select('data_json').where('hash', '=', hash).executeTakeFirst();
      return row ? CustodyEvent.parse(JSON.parse(row.data_json)) : null;
    },

    /** Of these items, those whose custody trail is on a job other than `jobId`, with that job. */
    async itemsTrailedElsewhere(itemIds: readonly string[], jobId: string): Promise<Map<string, string>> {
      if (itemIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('custody_event_items')
        .innerJoin('custody_events', 'custody_events.id', 'custody_event_items.event_id')
        .select(['custody_event_items.item_id as itemId', 'custody_events.job_id as jobId'])
        .where('custody_event_items.item_id', 'in', [...itemIds])
        .where('custody_events.job_id', '<>', jobId)
        .execute();
      return new Map(rows.map((row) => [row.itemId, row.jobId]));
    },
  };
}
