import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../dialect';

/**
 * Expand step: the custody event fields the CSV export prints become columns beside the signed
 * JSON (which stays the record), and each item gets its position in the event, so an export reads
 * columns instead of parsing every event. Columns are added nullable and filled here from the
 * JSON. Instances still on the previous release keep inserting events without them during a
 * rolling upgrade; readers treat a row whose `recorded_by_user_id` is null as not yet filled and
 * read its JSON (server/supervise/custody-csv.ts). A later release may refill such rows and drop
 * that fallback; nothing here is ever dropped.
 */
export const custodyEventColumns = [
  ['from_role', 'text', ['from', 'role']],
  ['from_name', 'text', ['from', 'name']],
  ['to_role', 'text', ['to', 'role']],
  ['to_name', 'text', ['to', 'name']],
  ['lat', 'double precision', ['place', 'lat']],
  ['lon', 'double precision', ['place', 'lon']],
  ['seal_number', 'text', ['sealNumber']],
  ['corrects_event_id', 'text', ['correctsEventId']],
  ['note', 'text', ['note']],
  ['device_id', 'text', ['deviceId']],
  ['recorded_by_user_id', 'text', ['recordedByUserId']],
] as const;

/** Space-separated, as the CSV prints them. */
const hashListColumns = [
  ['photo_hashes', 'photoHashes'],
  ['signature_hashes', 'signatureHashes'],
] as const;

async function fillSqlite(db: Kysely<unknown>): Promise<void> {
  const scalars = custodyEventColumns.map(([column, , path]) => `${column} = json_extract(data_json, '$.${path.join('.')}')`);
  const lists = hashListColumns.map(([column, key]) => `${column} = coalesce((select group_concat(value, ' ' order by key) from json_each(data_json, '$.${key}')), '')`);
  await sql.raw(`update custody_events set ${[...scalars, ...lists].join(', ')}`).execute(db);
  await sql`
    update custody_event_items set position = (
      select item.key from custody_events ce, json_each(ce.data_json, '$.items') as item
      where ce.id = custody_event_items.event_id and json_extract(item.value, '$.itemId') = custody_event_items.item_id
    )`.execute(db);
}

async function fillPostgres(db: Kysely<unknown>): Promise<void> {
  const scalars = custodyEventColumns.map(([column, type, path]) => `${column} = (e.event #>> '{${path.join(',')}}')${type === 'text' ? '' : '::float8'}`);
  const lists = hashListColumns.map(
    ([column, key]) => `${column} = coalesce((select string_agg(h.value, ' ' order by h.n) from jsonb_array_elements_text(e.event -> '${key}') with ordinality as h(value, n)), '')`,
  );
  await sql
    .raw(`update custody_events set ${[...scalars, ...lists].join(', ')} from (select id, data_json::jsonb as event from custody_events) as e where e.id = custody_events.id`)
    .execute(db);
  await sql`
    update custody_event_items set position = item.n - 1
    from custody_events ce cross join lateral jsonb_array_elements(ce.data_json::jsonb -> 'items') with ordinality as item(value, n)
    where ce.id = custody_event_items.event_id and item.value ->> 'itemId' = custody_event_items.item_id`.execute(db);
}

/** The backfill: fills the columns of every event from its JSON (the same values append writes). */
export async function fillCustodyEventColumns(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  await (kind === 'postgres' ? fillPostgres(db) : fillSqlite(db));
}

export function custodyEventColumnsSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [column, type] of custodyEventColumns) await db.schema.alterTable('custody_events').addColumn(column, type).execute();
      for (const [column] of hashListColumns) await db.schema.alterTable('custody_events').addColumn(column, 'text').execute();
      await db.schema.alterTable('custody_event_items').addColumn('position', 'integer').execute();
      await fillCustodyEventColumns(db, kind);
    },
  };
}
