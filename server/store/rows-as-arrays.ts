import type SqliteDatabase from 'better-sqlite3';
import type { Compilable, Kysely } from 'kysely';

/** The better-sqlite3 database under each SQLite store's Kysely handle (see openSqlite). */
const sqliteDatabases = new WeakMap<Kysely<unknown>, SqliteDatabase.Database>();

export function rememberSqliteDatabase<DB>(db: Kysely<DB>, sqlite: SqliteDatabase.Database): void {
  sqliteDatabases.set(db as Kysely<unknown>, sqlite);
}

/**
 * A select's rows as arrays of its columns in the order it selects them, for the few reads that
 * stream a whole table (the custody CSV): on SQLite better-sqlite3 hands them over as arrays
 * instead of an object per row, which was most of the export's reading time and garbage. The
 * statement runs while this handle holds Kysely's one SQLite connection, as Kysely's own
 * queries do, so it never reads inside another request's open transaction. On PostgreSQL, or on
 * a transaction's handle, the query runs through Kysely and each row's values are taken in order.
 * The caller's tuple type must follow the select list.
 */
export async function rowsAsArrays<Row extends readonly unknown[], DB>(db: Kysely<DB>, query: Compilable<object>): Promise<Row[]> {
  const sqlite = sqliteDatabases.get(db as Kysely<unknown>);
  if (!sqlite) {
    const { rows } = await db.executeQuery(query.compile());
    return rows.map((row) => Object.values(row) as unknown as Row);
  }
  return db.connection().execute(async () => {
    const { sql, parameters } = query.compile();
    return sqlite.prepare(sql).raw(true).all(...parameters) as Row[];
  });
}
