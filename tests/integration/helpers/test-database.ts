import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Which store the integration suite runs on: the embedded SQLite file (default) or PostgreSQL
 * when RECLAIM_TEST_STORE=postgres (the "integration-postgres" vitest project sets it).
 */
export const testStore: 'sqlite' | 'postgres' = process.env.RECLAIM_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The server every test database lives on; CI and this machine have one with trust auth. */
export const testPostgresAdminUrl = process.env.RECLAIM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const created = new Set<string>();

function databaseUrl(name: string): string {
  const url = new URL(testPostgresAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresAdminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL cannot be used, or null when it answers. */
export async function postgresUnavailableReason(): Promise<string | null> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return null;
  } catch (error) {
    return `PostgreSQL is not reachable at ${testPostgresAdminUrl} (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * A database of its own for one server (or one data directory restarted several times):
 * reclaim_test_<random>, or a name derived from the data directory so a restart finds its data.
 */
export async function createTestDatabase(forDataDir?: string): Promise<string> {
  const suffix = forDataDir ? createHash('sha256').update(forDataDir).digest('hex').slice(0, 16) : randomBytes(8).toString('hex');
  const name = `reclaim_test_${suffix}`;
  if (!created.has(name)) {
    await withAdmin(async (client) => {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`create database ${name}`);
    });
    created.add(name);
  }
  return databaseUrl(name);
}

/** Drops a test database, ending any connection a crashed server left open. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^reclaim_test_[0-9a-f]+$/.test(name)) throw new Error(`refusing to drop ${name}: not a test database`);
  await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
  created.delete(name);
}

/** Drops every database this test file created and has not dropped yet. */
export async function dropTestDatabases(): Promise<void> {
  for (const name of [...created]) await dropTestDatabase(databaseUrl(name));
}
