import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';

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
