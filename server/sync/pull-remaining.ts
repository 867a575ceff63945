import type { Kysely } from 'kysely';
import { latestRowsAfter, type Audience } from '../store/change-log';
import type { Database } from '../store/schema';

/**
 * How many records a pull after `cursor` will still bring: log rows for this audience that are
 * their record's latest (as a pull page carries them), counted on the same index a page is read
 * from. A progress figure for people ("4,000 of 10,000"), never used to decide anything.
 */
export async function countRecordsAfter(db: Kysely<Database>, audience: Audience, cursor: number): Promise<number> {
  const row = await latestRowsAfter(db, audience, cursor)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}
