import { sql, type Kysely } from 'kysely';
import type { Audience } from '../store/change-log';
import type { Database } from '../store/schema';

/**
 * How many records a pull after `cursor` will still bring: log rows for this audience that are
 * their record's latest (as a pull page carries them), counted on the same index a page is read
 * from. A progress figure for people ("4,000 of 10,000"), never used to decide anything.
 */
export async function countRecordsAfter(db: Kysely<Database>, audience: Audience, cursor: number): Promise<number> {
  let query = db
    .selectFrom('changes as c')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('c.seq', '>', cursor)
    .where(({ not, exists, selectFrom }) => {
      let later = selectFrom('changes as later')
        .select(sql.lit(1).as('one'))
        .whereRef('later.entity', '=', 'c.entity')
        .whereRef('later.entity_id', '=', 'c.entity_id')
        .whereRef('later.seq', '>', 'c.seq');
      later = audience === 'office' ? later.where('later.audience_user_id', 'is', null) : later.where('later.audience_user_id', '=', audience.agentId);
      return not(exists(later));
    });
  query = audience === 'office' ? query.where('c.audience_user_id', 'is', null) : query.where('c.audience_user_id', '=', audience.agentId);
  const row = await query.executeTakeFirst();
  return Number(row?.count ?? 0);
}
