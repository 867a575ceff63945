import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { StoreKind } from './dialect';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Store {
  readonly kind: StoreKind;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

/** Opens the database, brings its schema up to date, and hands back the one store handle. */
export async function createDatabase(config: DatabaseConfig): Promise<Store> {
  const db = config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url);
  await migrateToLatest(db, config.kind);
  return { kind: config.kind, db, close: () => db.destroy() };
}

function openSqlite(file: string): Kysely<Database> {
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers run while a push batch commits; busy_timeout rides out a second process
  // (a backup, the CLI) holding the lock instead of failing the request at once.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function openPostgres(url: string): Kysely<Database> {
  // int8 (the change log's bigserial) arrives as text by default; sequences stay far below 2^53.
  pg.types.setTypeParser(20, (text: string) => Number(text));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) });
}

async function migrateToLatest(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(kind) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error !== undefined || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`The database could not be migrated${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
