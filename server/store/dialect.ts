import { PostgresAdapter, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/** Which database engine a store runs on; the few dialect-specific bits switch on this. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * Adds the change log's sequence column: a monotonic integer the database assigns on insert.
 * SQLite's AUTOINCREMENT guarantees a deleted top sequence is never reused; PostgreSQL's
 * bigserial does the same. The cursor every client holds depends on that.
 */
export function withSequenceColumn<T extends string>(
  table: CreateTableBuilder<T>,
  kind: StoreKind,
  name: string,
): CreateTableBuilder<T> {
  if (kind === 'postgres') {
    return table.addColumn(name, 'bigserial', (col: ColumnDefinitionBuilder) => col.primaryKey());
  }
  return table.addColumn(name, 'integer', (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement());
}

/** Which engine a Kysely handle (or transaction) speaks, for the few statements that differ. */
export function storeKindOf<DB>(db: Kysely<DB>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The channel change-log appends NOTIFY on PostgreSQL, so every instance's live views wake. */
export const CHANGES_CHANNEL = 'reclaim_changes';

/**
 * Any fixed 64-bit key: the transaction-level advisory lock that orders change-log appends on
 * PostgreSQL (see changeLog().append for why).
 */
export const CHANGE_LOG_LOCK_KEY = 7_301_110_001;

/** The transaction-level advisory lock that lets one instance at a time refresh table statistics. */
export const STATISTICS_LOCK_KEY = 7_301_110_021;
