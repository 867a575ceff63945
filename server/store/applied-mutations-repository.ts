import type { Kysely } from 'kysely';
import { MutationResult } from '../../shared/sync/protocol';
import { insertTextRowsAtCommit } from './change-log';
import { storeKindOf } from './dialect';
import type { Database } from './schema';

interface Remembered {
  readonly result: MutationResult;
  readonly userId: string;
  readonly deviceId: string;
  readonly at: string;
}

/** Ids per lookup and rows per SQLite insert: well inside SQLite's 32,766 bound parameters (6 a row) and PostgreSQL's 65,535. */
const LOOKUP_CHUNK = 1000;
const INSERT_CHUNK = 500;

/**
 * The memory that makes push idempotent: every mutation id the server has decided on, with the
 * answer it gave, so a retry (lost response, app restart) gets the same answer and changes nothing.
 */
export function appliedMutationsRepository(db: Kysely<Database>) {
  return {
    /** The answers already given to any of these ids, in one query (a push batch asks for all of its own at once). */
    async findMany(ids: readonly string[]): Promise<Map<string, MutationResult>> {
      const found = new Map<string, MutationResult>();
      for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
        const rows = await db.selectFrom('applied_mutations').select('result_json').where('id', 'in', ids.slice(start, start + LOOKUP_CHUNK)).execute();
        for (const row of rows) {
          const result = MutationResult.parse(JSON.parse(row.result_json));
          found.set(result.id, result);
        }
      }
      return found;
    },

    /**
     * Many answers, written once at a batch's end: on PostgreSQL inside a write transaction in
     * its last statement (insertTextRowsAtCommit; nothing reads them back before the commit), on
     * SQLite in one multi-row INSERT per chunk.
     */
    async rememberMany(entries: readonly Remembered[]): Promise<void> {
      if (storeKindOf(db) === 'postgres') {
        const rows = entries.map((entry) => [entry.result.id, entry.userId, entry.deviceId, entry.at, entry.result.outcome, JSON.stringify(entry.result)]);
        await insertTextRowsAtCommit(db, { table: 'applied_mutations', columns: ['id', 'user_id', 'device_id', 'applied_at', 'outcome', 'result_json'], rows });
        return;
      }
      for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
        const rows = entries.slice(start, start + INSERT_CHUNK).map((entry) => ({
          id: entry.result.id,
          user_id: entry.userId,
          device_id: entry.deviceId,
          applied_at: entry.at,
          outcome: entry.result.outcome,
          result_json: JSON.stringify(entry.result),
        }));
        if (rows.length > 0) await db.insertInto('applied_mutations').values(rows).execute();
      }
    },
  };
}
