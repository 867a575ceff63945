import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseConfig } from '../../server/store/database';
import { startTestServer } from './helpers/server';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

/**
 * Rolling upgrades: once a newer release has migrated the database, an instance of this release
 * must still start there (a restart, a scale-up) and serve, since the newer migrations only added.
 * The newer release's migration is stood in for by its row in the migrations table and the column
 * it added. SQLite here, PostgreSQL in integration-postgres.
 */
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('an instance of this release', () => {
  it('starts and serves on a database a newer release has migrated', { timeout: 240_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-newer-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const databaseUrl = testStore === 'postgres' ? await createTestDatabase() : undefined;
    if (databaseUrl) cleanup.push(() => dropTestDatabase(databaseUrl));
    const config: DatabaseConfig = databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') };

    const first = await startTestServer({ dataDir, databaseUrl });
    await first.close();
    const store = await createDatabase(config);
    await sql`alter table jobs add column added_by_a_newer_release text`.execute(store.db);
    await sql`insert into kysely_migration (name, timestamp) values ('9999_a_newer_release', ${new Date().toISOString()})`.execute(store.db);
    await store.close();

    const again = await startTestServer({ dataDir, databaseUrl });
    try {
      const agent = await again.login('agent1');
      const pulled = await again.api('/api/v1/sync/pull?limit=10', { token: agent.token, protocol: true });
      expect(pulled.status).toBe(200);
    } finally {
      await again.close();
    }
    const reopened = await createDatabase(config);
    const names = (await sql<{ name: string }>`select name from kysely_migration`.execute(reopened.db)).rows.map((row) => row.name);
    await reopened.close();
    expect(names).toContain('9999_a_newer_release');
  });
});
