import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { KillableServer } from './killable-server';

/** The door tables the fuzzer checks row by row; the API shows them only through a pull. */
export const doorTables = ['visits', 'item_reconciliations', 'photos', 'custody_events'] as const;
export type DoorTable = (typeof doorTables)[number];

export interface StoredRecord {
  readonly id: string;
  readonly jobId: string;
}

export type StoredRecords = Record<DoorTable, StoredRecord[]>;

/**
 * Every door record the server's own store holds, read straight from the database (the SQLite
 * file in its data folder, or its PostgreSQL database): the ground truth for "applied exactly once".
 */
export async function readStoredRecords(server: KillableServer): Promise<StoredRecords> {
  const query = (table: DoorTable) => `select id, job_id as "jobId" from ${table} order by id`;
  if (server.databaseUrl === undefined) {
    const store = new Sqlite(join(server.dataDir, 'reclaim.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const read = (table: DoorTable) => store.prepare<[], StoredRecord>(query(table)).all();
      return { visits: read('visits'), item_reconciliations: read('item_reconciliations'), photos: read('photos'), custody_events: read('custody_events') };
    } finally {
      store.close();
    }
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    const read = async (table: DoorTable) => (await client.query<StoredRecord>(query(table))).rows;
    return { visits: await read('visits'), item_reconciliations: await read('item_reconciliations'), photos: await read('photos'), custody_events: await read('custody_events') };
  } finally {
    await client.end();
  }
}
