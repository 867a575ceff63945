import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema';

/** Rows of text columns for one table, given as the column names and one tuple a row. */
export interface TextRows<T extends keyof Database> {
  readonly table: T;
  readonly columns: readonly (keyof Database[T] & string)[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/**
 * PostgreSQL only: `select * from unnest($1::text[], …) as v (…)`, the rows sent as one array a
 * column. Whatever the number of rows, the statement has one text and one parameter a column.
 *
 * Why: a multi-row VALUES list carries one parameter a cell, and Kysely builds, compiles and
 * checks a node for each (a push of 50 notes wrote about 1,100 cells); pg then encodes each one
 * into the Bind message. As arrays, that work is a handful of nodes and one array literal a
 * column. The text no longer depends on the row count either, so one prepared statement serves
 * every size, and no insert needs splitting to stay under the 65,535-parameter limit.
 */
export function unnestTextRows<T extends keyof Database>({ columns, rows }: TextRows<T>): RawBuilder<unknown> {
  const arrays = columns.map((_, index) => rows.map((row) => row[index] ?? null));
  return sql`select * from unnest(${sql.join(arrays.map((values) => sql`${values}::text[]`))}) as v (${sql.join(columns.map((column) => sql.ref(column)))})`;
}

/** The INSERT of `rows` through unnestTextRows (PostgreSQL only), as one statement a table. */
export function insertTextRowsStatement<T extends keyof Database>(rows: TextRows<T>): RawBuilder<unknown> {
  return sql`insert into ${sql.table(rows.table)} (${sql.join(rows.columns.map((column) => sql.ref(column)))}) ${unnestTextRows(rows)}`;
}

/** Inserts `rows` in one statement (PostgreSQL only). */
export async function insertTextRows<T extends keyof Database>(db: Kysely<Database>, rows: TextRows<T>): Promise<void> {
  if (rows.rows.length === 0) return;
  await insertTextRowsStatement(rows).execute(db);
}
