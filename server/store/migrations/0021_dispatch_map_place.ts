import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../dialect';

/*
 * The dispatch map asks the server for the jobs in its view (issue 15): a job's coordinates live
 * inside its address JSON, so they become columns the database keeps true on every write (an
 * older instance's included), with an index the view's box is a range of. Status and agent ride
 * along, so the clusters and the legend count from the index alone. A job is placed only with
 * both coordinates: map_lat is null whenever either is, so "needs a pin" is one index lookup.
 * Additive only.
 *
 * PostgreSQL computes them as stored generated columns. SQLite can add a generated column only
 * as VIRTUAL, and reading one (even from its index) evaluates the JSON of every row: 100,000 jobs
 * in view took seconds. There they are plain columns that triggers fill on insert and on every
 * change of the address.
 */
function placed(kind: StoreKind, field: 'lat' | 'lon'): string {
  const read = (name: string) => (kind === 'postgres' ? `((address_json::jsonb)->>'${name}')::double precision` : `json_extract(address_json, '$.${name}')`);
  return `case when ${read('lat')} is null or ${read('lon')} is null then null else ${read(field)} end`;
}

async function sqliteColumns(db: Kysely<unknown>): Promise<void> {
  await sql`alter table jobs add column map_lat real`.execute(db);
  await sql`alter table jobs add column map_lon real`.execute(db);
  const set = sql.raw(`map_lat = ${placed('sqlite', 'lat')}, map_lon = ${placed('sqlite', 'lon')}`);
  await sql`update jobs set ${set}`.execute(db);
  await sql`create trigger jobs_place_insert after insert on jobs begin
    update jobs set ${set} where rowid = new.rowid;
  end`.execute(db);
  await sql`create trigger jobs_place_update after update of address_json on jobs begin
    update jobs set ${set} where rowid = new.rowid;
  end`.execute(db);
}

async function postgresColumns(db: Kysely<unknown>): Promise<void> {
  for (const field of ['lat', 'lon'] as const) {
    await sql.raw(`alter table jobs add column map_${field} double precision generated always as (${placed('postgres', field)}) stored`).execute(db);
  }
}

export function dispatchMapPlaceSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await postgresColumns(db);
      else await sqliteColumns(db);
      await db.schema.createIndex('jobs_by_place').on('jobs').columns(['map_lat', 'map_lon', 'status', 'assigned_agent_id']).execute();
    },
  };
}
