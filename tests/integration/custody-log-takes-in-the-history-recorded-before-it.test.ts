import SqliteDatabase from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LogCheckpoint } from '../../shared/api/trust';
import { toHex } from '../../shared/custody/crypto-port';
import { custodyLogOrigin, openCheckpoint } from '../../shared/trust/checkpoint';
import { certificateCovers, checkDeviceCertificate } from '../../shared/trust/device-certificate';
import { newId } from '../../shared/ids';
import { LogLeaf, logLeafBytes } from '../../shared/trust/log-leaf';
import { appendToMemoryLog, memoryHashReader, treeHash, type Hash } from '../../shared/trust/merkle-log';
import { migrationProvider } from '../../server/store/migrations/index';
import { certificatesFor } from '../../server/trust/device-certificates';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, testStore } from './helpers/test-database';
import { orgKeyHistoryOf, orgKeyOf, pinned, withStore } from './helpers/trust';

/**
 * An installation that recorded custody before the log existed (migration 0009) keeps all of it:
 * migration 0010 puts every event in the log in (hlc, id) order, logged when the server received
 * it, and the first start certifies every key that signed them. The history is the demo
 * organisation's, recorded by a current server and copied into a database left at 0009, with
 * over a thousand more events so the migration reads and writes the log in pages.
 */
type AnyTables = Record<string, Record<string, unknown>>;

/** The tables an 0009 database has that hold the demo's people, jobs and custody, parents first. */
const copied = ['users', 'clients', 'jobs', 'job_assignments', 'device_keys', 'custody_events', 'custody_event_items', 'custody_item_heads'];

let source: TestServer;
let target: TestServer | undefined;
let targetDir: string;

function openRaw(where: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string }): Kysely<AnyTables> {
  return where.kind === 'sqlite'
    ? new Kysely<AnyTables>({ dialect: new SqliteDialect({ database: new SqliteDatabase(where.file) }) })
    : new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: where.url, max: 2 }) }) });
}

/** Applies the migrations up to and including 0009, as a server of that version did. */
async function migrateTo0009(db: Kysely<AnyTables>): Promise<void> {
  const all = await migrationProvider(testStore).getMigrations();
  const upTo0009: Record<string, Migration> = Object.fromEntries(Object.entries(all).filter(([name]) => name <= '0009_sealed_office_keys'));
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => upTo0009 } }).migrateToLatest();
  if (error) throw error;
}

beforeAll(async () => {
  source = await startTestServer();
  targetDir = await mkdtemp(join(tmpdir(), 'reclaim-0009-'));
  const where = testStore === 'sqlite' ? { kind: 'sqlite' as const, file: join(targetDir, 'reclaim.sqlite') } : { kind: 'postgres' as const, url: await createTestDatabase(targetDir) };
  const old = openRaw(where);
  const from = openRaw(source.store === 'sqlite' ? { kind: 'sqlite', file: join(source.dataDir, 'reclaim.sqlite') } : { kind: 'postgres', url: source.databaseUrl ?? '' });
  try {
    await migrateTo0009(old);
    const tables = new Map((await old.introspection.getTables()).map((table) => [table.name, new Set(table.columns.map((column) => column.name))]));
    for (const name of copied) {
      const columns = tables.get(name);
      if (!columns) throw new Error(`an 0009 database has the table ${name}`);
      const rows = await from.selectFrom(name).selectAll().execute();
      // Only the columns an 0009 database has: later migrations may have added some.
      const kept = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => columns.has(column))));
      for (let i = 0; i < kept.length; i += 100) await old.insertInto(name).values(kept.slice(i, i + 100)).execute();
    }
    // Enough more events that the migration pages through them: some share an hlc with a
    // recorded one (so the id breaks the tie), each received when its twin was.
    const recorded = await old.selectFrom('custody_events').select(['job_id', 'device_key_id', 'hlc', 'received_at']).execute();
    expect(recorded.length).toBeGreaterThan(40);
    const extra = recorded.length === 0 ? [] : Array.from({ length: 1234 }, (_, i) => {
      const twin = recorded[i % recorded.length] as (typeof recorded)[number];
      return { ...twin, id: newId(), hash: randomBytes(32).toString('hex'), kind: 'sealed', at: twin.received_at, data_json: '{}', hlc: i % 3 === 0 ? twin.hlc : `${String(twin.hlc)}-${i}` };
    });
    for (let i = 0; i < extra.length; i += 100) await old.insertInto('custody_events').values(extra.slice(i, i + 100)).execute();
  } finally {
    await old.destroy();
    await from.destroy();
  }
  target = await startTestServer({ dataDir: targetDir });
});
afterAll(async () => {
  await target?.close();
  await source.close();
  await rm(targetDir, { recursive: true, force: true });
});

it('puts every event recorded before the log into it, in (hlc, id) order, logged when the server received it', async () => {
  if (!target) throw new Error('the migrated server started');
  const server = target;
  const events = await withStore(server, (store) => store.db.selectFrom('custody_events').select(['id', 'hash', 'job_id', 'device_key_id', 'received_at']).orderBy('hlc').orderBy('id').execute());
  const rows = await withStore(server, (store) => store.db.selectFrom('custody_log').select(['leaf_index', 'leaf_json', 'logged_at']).orderBy('leaf_index').execute());
  const leaves = rows.map((row) => LogLeaf.parse(JSON.parse(row.leaf_json)));
  expect(rows.map((row) => Number(row.leaf_index))).toEqual(events.map((_, i) => i));
  expect(leaves.map((leaf) => ({ id: leaf.eventId, hash: leaf.eventHash, job_id: leaf.jobId, device_key_id: leaf.deviceKeyId, received_at: leaf.loggedAt }))).toEqual(events);
  expect(rows.map((row) => row.logged_at)).toEqual(events.map((event) => event.received_at));

  // The stored hashes are the ones the log's own code makes, and the signed checkpoint names their root.
  const stored: Hash[] = [];
  await appendToMemoryLog(stored, leaves.map(logLeafBytes));
  const storedHex = await withStore(server, (store) => store.db.selectFrom('custody_log_hashes').select('hash').orderBy('hash_index').execute());
  expect(storedHex.map((row) => row.hash)).toEqual(stored.map(toHex));
  const keys = await pinned(server, (await orgKeyOf(server)).fingerprint);
  const { token } = await server.login('supervisor1');
  const answer = LogCheckpoint.parse((await server.api('/api/v1/custody/log/checkpoint', { token })).body);
  const { checkpoint } = await openCheckpoint(subtle, answer.checkpoint, keys, custodyLogOrigin((await orgKeyHistoryOf(server)).organisationId));
  expect(checkpoint.size).toBe(events.length);
  expect(toHex(checkpoint.root)).toBe(toHex(await treeHash(events.length, memoryHashReader(stored))));

  // Every key that signed them was certified at the first start, for the time the log took them in.
  const certificates = await withStore(server, (store) => certificatesFor(store.db, [...new Set(leaves.map((leaf) => leaf.deviceKeyId))]));
  for (const leaf of leaves) {
    const certificate = certificates.find((entry) => entry.certificate.deviceKeyId === leaf.deviceKeyId);
    if (!certificate) throw new Error(`device key ${leaf.deviceKeyId} is certified`);
    expect(await checkDeviceCertificate(subtle, certificate, keys)).toBeNull();
    expect(certificateCovers(certificate.certificate, leaf.loggedAt)).toBe(true);
  }
});
