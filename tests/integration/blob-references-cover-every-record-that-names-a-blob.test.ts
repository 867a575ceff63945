import SqliteDatabase from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { blobNamingTables } from '../../server/store/migrations/0013_blob_access';
import { migrationProvider } from '../../server/store/migrations/index';
import { createTestDatabase, testStore } from './helpers/test-database';

/**
 * Who may read a blob follows the jobs whose records name it, so every record that names one
 * must be in blob_references: rows written before migration 0013 (its backfill) and rows written
 * after (its triggers), from each table that can name a blob, on SQLite and PostgreSQL alike.
 */
type AnyTables = Record<string, Record<string, unknown>>;

let dir: string;
let db: Kysely<AnyTables>;

async function migrateThrough(last: string): Promise<void> {
  const all = await migrationProvider(testStore).getMigrations();
  const upTo: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name <= last));
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => upTo } }).migrateToLatest();
  if (error) throw error;
}

const hash = () => randomBytes(32).toString('hex');
const at = '2026-03-02T10:00:00.000Z';
const userId = newId();
const jobIds = [newId(), newId()];

/** One row per table that names blobs, in the shapes the app stores, with fresh hashes. */
async function recordsNaming(jobId: string): Promise<Map<string, string[]>> {
  const named = new Map<string, string[]>();
  const photo = hash();
  await db.insertInto('photos').values({ id: newId(), job_id: jobId, hlc: 'h', data_json: JSON.stringify({ jobId, subject: 'job', sha256: photo }) }).execute();
  named.set('photos', [photo]);
  const signature = hash();
  await db.insertInto('signatures').values({ id: newId(), job_id: jobId, hlc: 'h', data_json: JSON.stringify({ jobId, signerName: 'Dana', sha256: signature }) }).execute();
  named.set('signatures', [signature]);
  const custody = [hash(), hash(), hash()];
  await db
    .insertInto('custody_events')
    .values({
      id: newId(),
      job_id: jobId,
      hash: hash(),
      kind: 'collected',
      at,
      device_key_id: 'key-1',
      // The event's own hash and its items' previous hashes name events, not blobs.
      data_json: JSON.stringify({ hash: 'not-a-blob', items: [{ previousEventHash: 'not-a-blob' }], photoHashes: custody.slice(0, 2), signatureHashes: custody.slice(2) }),
      hlc: 'h',
      received_at: at,
    })
    .execute();
  named.set('custody_events', custody);
  const propertyId = newId();
  const property = [hash(), hash()];
  await db.insertInto('personal_property').values({ id: propertyId, job_id: jobId, hlc: 'h', data_json: JSON.stringify({ id: propertyId, jobId, photoHashes: property }) }).execute();
  named.set('personal_property', property);
  const returned = hash();
  await db
    .insertInto('personal_property_events')
    .values({ id: newId(), job_id: jobId, property_id: propertyId, hlc: 'h', data_json: JSON.stringify({ kind: 'returned', jobId, signatureHash: returned }) })
    .execute();
  // A release names no blob: its row adds nothing.
  await db
    .insertInto('personal_property_events')
    .values({ id: newId(), job_id: jobId, property_id: propertyId, hlc: 'h', data_json: JSON.stringify({ kind: 'released', jobId, signatureHash: null }) })
    .execute();
  named.set('personal_property_events', [returned]);
  return named;
}

async function referencesOf(jobId: string): Promise<string[]> {
  const rows = await db.selectFrom('blob_references').select('hash').where('job_id', '=', jobId).execute();
  return rows.map((row) => String(row.hash)).sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reclaim-0013-'));
  db =
    testStore === 'sqlite'
      ? new Kysely<AnyTables>({ dialect: new SqliteDialect({ database: new SqliteDatabase(join(dir, 'reclaim.sqlite')) }) })
      : new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await createTestDatabase(dir), max: 2 }) }) });
  await migrateThrough('0012_document_signing_key');
  await db.insertInto('users').values({ id: userId, username: 'agent', display_name: 'Agent', role: 'agent', password_hash: 'x', disabled: 0, created_at: at }).execute();
  await db.insertInto('device_keys').values({ id: 'key-1', device_id: 'laptop', user_id: userId, public_key: 'k', created_at: at, registered_at: at }).execute();
  await db.insertInto('clients').values({ id: 'client-1', name: 'Client' }).execute();
  for (const id of jobIds) {
    await db
      .insertInto('jobs')
      .values({
        id,
        client_id: 'client-1',
        account_ref: id,
        customer_json: '{}',
        address_json: '{}',
        time_zone: 'UTC',
        priority: 'normal',
        items_json: '[]',
        status: 'assigned',
        assigned_agent_id: userId,
        search_text: '',
        created_at: at,
        updated_at: at,
        version: 1,
      })
      .execute();
  }
});
afterAll(async () => {
  await db.destroy();
  await rm(dir, { recursive: true, force: true });
});

it('indexes every blob named by records written before the migration, from every table that names one', async () => {
  const before = await recordsNaming(jobIds[0] ?? '');
  expect([...before.keys()].sort()).toEqual([...blobNamingTables].sort());
  await migrateThrough('0013_blob_access');
  expect(await referencesOf(jobIds[0] ?? '')).toEqual([...before.values()].flat().sort());
});

it('indexes every blob named by records written after it, as they are inserted', async () => {
  const after = await recordsNaming(jobIds[1] ?? '');
  expect(await referencesOf(jobIds[1] ?? '')).toEqual([...after.values()].flat().sort());
  // A second record naming the same blob on the same job is one reference, not an error.
  const [photo] = after.get('photos') ?? [];
  await db.insertInto('photos').values({ id: newId(), job_id: jobIds[1] ?? '', hlc: 'h', data_json: JSON.stringify({ sha256: photo }) }).execute();
  expect(await referencesOf(jobIds[1] ?? '')).toHaveLength([...after.values()].flat().length);
});
