import type { Kysely } from 'kysely';
import { MutationResult } from '../../shared/sync/protocol';
import type { Database } from './schema';

/**
 * The memory that makes push idempotent: every mutation id the server has decided on, with the
 * answer it gave, so a retry (lost response, app restart) gets the same answer and changes nothing.
 */
export function appliedMutationsRepository(db: Kysely<Database>) {
  return {
    async find(id: string): Promise<MutationResult | undefined> {
      const row = await db.selectFrom('applied_mutations').select('result_json').where('id', '=', id).executeTakeFirst();
      return row ? MutationResult.parse(JSON.parse(row.result_json)) : undefined;
    },

    async remember(entry: { result: MutationResult; userId: string; deviceId: string; at: string }): Promise<void> {
      await db
        .insertInto('applied_mutations')
        .values({
          id: entry.result.id,
          user_id: entry.userId,
          device_id: entry.deviceId,
          applied_at: entry.at,
          outcome: entry.result.outcome,
          result_json: JSON.stringify(entry.result),
        })
        .execute();
    },
  };
}
