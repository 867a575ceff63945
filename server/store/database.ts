import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { StoreKind } from './dialect';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';
import { InListAsArrayOnPostgres } from './in-list-as-array';
import { preparedStatementsPool } from './prepared-statements';
import { rememberSqliteDatabase } from './rows-as-arrays';
import { RefuseNulInText } from './text-without-nul';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/** Opens the database, brings its schema up to date, and hands back the one store handle. */
export async function createDatabase(config: DatabaseConfig): Promise<Store> {
  const db = config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
  try {
    await migrateToLatest(db, config.kind);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { kind: config.kind, db, close: () => db.destroy() };
}

/** postgres:// or postgresql:// URLs select PostgreSQL; anything else is refused with words. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL with its password replaced, for logs and start-up lines. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

function openSqlite(file: string): Kysely<Database> {
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run while a push batch commits; busy_timeout rides out a second process
  // (a backup, the CLI) holding the lock instead of failing the request at once.
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk (the WAL synced) before the push that made it is answered, as
  // PostgreSQL's synchronous_commit does. A laptop lets go of what the server acknowledged; with
  // NORMAL, a power cut could take back commits already answered.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [new RefuseNulInText()] });
  rememberSqliteDatabase(db, sqlite);
  return db;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * pg hands int8 (counts, the change log's bigint sequence) and numeric back as text so no
 * precision is lost. Every such value here is a count or a sequence far below 2^53, and the
 * repositories are written against SQLite's numbers, so this pool parses them. The parsers are
 * the pool's own, not pg's global ones, so another pg user in the process is unaffected.
 */
const reclaimTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (text: string) => Number(text);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, types: reclaimTypes, max: Number(process.env.RECLAIM_PG_POOL_SIZE ?? 10) });
  // An idle client that loses its server (a fail-over, a restart) must not crash the process;
  // the pool drops it and the next query opens a fresh connection.
  pool.on('error', () => {});
  // Statements are prepared once per connection (see prepared-statements.ts) unless a pooler in
  // front of PostgreSQL cannot keep them (PgBouncer's transaction mode before 1.21): then 0.
  const perConnection = Number(process.env.RECLAIM_PG_PREPARED_STATEMENTS ?? 200);
  const dialectPool = perConnection > 0 ? preparedStatementsPool(pool, { perConnection }) : pool;
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: dialectPool }), plugins: [new RefuseNulInText(), new InListAsArrayOnPostgres()] });
}

/**
 * During a rolling upgrade an instance of the older release may start (or restart) after a newer
 * one has migrated the database. Migrations only expand (README "Migrations"), so the older code
 * runs on that schema; but Kysely's migrator refuses a database that has applied migrations it
 * was not given. Those are handed to it as applied placeholders that never run. Should any of
 * this release's own migrations still be pending below them, Kysely refuses the order, with words.
 */
async function withMigrationsOfNewerReleases(db: Kysely<Database>, provider: MigrationProvider): Promise<MigrationProvider> {
  // Read before the migrator runs: it asks for the list while holding the only SQLite connection.
  let applied: string[] = [];
  try {
    applied = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((row) => row.name);
  } catch {
    // A new database: the migrator makes its table.
  }
  const placeholder: Migration = {
    up: () => Promise.reject(new Error('a migration of a newer release is applied by that release, never here')),
  };
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      const own = await provider.getMigrations();
      const newer = applied.filter((name) => !(name in own));
      return { ...own, ...Object.fromEntries(newer.map((name) => [name, placeholder])) };
    },
  };
}

async function migrateToLatest(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  // Kysely's migrator takes a lock (an advisory lock on PostgreSQL, where the whole run is also
  // one transaction), so several instances starting at once against one database migrate it once.
  const migrator = new Migrator({ db, provider: await withMigrationsOfNewerReleases(db, migrationProvider(kind)) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`The database could not be migrated${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
