import { sql, type Kysely } from 'kysely';
import { doorEntities, type DoorEntity } from '../../shared/sync/door-protocol';
import { CHANGE_LOG_LOCK_KEY, CHANGES_CHANNEL, storeKindOf } from './dialect';
import type { Database } from './schema';

export type ChangeEntity = 'job' | 'jobRemoval' | 'jobStatusChange' | 'jobNote' | DoorEntity;

export interface ChangeLogEntry {
  readonly seq: number;
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly jobId: string;
}

/** The audience of a log row: one agent, or the office (every office user reads the same rows). */
export type Audience = { readonly agentId: string } | 'office';

interface Appended {
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly jobId: string;
}

const changeEntities: readonly ChangeEntity[] = ['job', 'jobRemoval', 'jobStatusChange', 'jobNote', ...doorEntities];

function isChangeEntity(text: string): text is ChangeEntity {
  return (changeEntities as readonly string[]).includes(text);
}

/** PostgreSQL transactions that already hold the change-log lock (and have queued a NOTIFY). */
const lockedTransactions = new WeakSet<Kysely<Database>>();

/**
 * The server's monotonic change log: what pull walks with its cursor. Rows carry no payload;
 * pull reads the current snapshot, so a later row for the same record only ever re-sends newer
 * data. Each row is written per audience so an agent's pull is one indexed range scan and can
 * never reach another agent's rows.
 */
export function changeLog(db: Kysely<Database>) {
  return {
    async append(audience: Audience, entries: readonly Appended[]): Promise<void> {
      if (entries.length === 0) return;
      const audienceUserId = audience === 'office' ? null : audience.agentId;
      const rows = entries.map((entry) => ({
        entity: entry.entity,
        entity_id: entry.entityId,
        job_id: entry.jobId,
        audience_user_id: audienceUserId,
        op: entry.entity === 'jobRemoval' ? 'remove' : 'upsert',
      }));
      if (storeKindOf(db) === 'sqlite') {
        // SQLite has one writer at a time, so sequence order is commit order already.
        await db.insertInto('changes').values(rows).execute();
        return;
      }
      // PostgreSQL hands out sequence numbers when a row is inserted, not when it commits: a
      // transaction holding seq 10 may commit after another committed seq 11, and a pull that
      // already moved its cursor to 11 would never see 10. So appends take one transaction-level
      // advisory lock, held until commit or rollback: while a transaction owns a seq no other can
      // take the next, and seq order is commit order. (The alternative — reading only below the
      // oldest in-flight transaction — needs an xid cursor, not the seq every client holds.)
      // Should two pushes that touch the same rows end up waiting on each other through this
      // lock, PostgreSQL rolls one back whole (deadlock_detected) and the client is told to retry.
      // NOTIFY is transactional too: delivered on commit, dropped on rollback, one per transaction.
      const write = async (trx: Kysely<Database>) => {
        // Once per transaction: a push batch appends for every mutation it applies.
        if (!lockedTransactions.has(trx)) {
          await sql`select pg_advisory_xact_lock(${sql.lit(CHANGE_LOG_LOCK_KEY)}), pg_notify(${CHANGES_CHANNEL}, '')`.execute(trx);
          lockedTransactions.add(trx);
        }
        await trx.insertInto('changes').values(rows).execute();
      };
      if (db.isTransaction) await write(db);
      else await db.transaction().execute(write);
    },

    /**
     * Up to `limit` rows after `cursor` for this audience, in sequence order, keeping only each
     * record's latest row: a pull sends the current snapshot, so an older row of the same record
     * would carry the same data again. Dropping it cannot lose anything, because the later row
     * has a higher seq (so it is still ahead of the cursor) and this query sees it too; and the
     * page stays within `limit` because the filter is in SQL, before the limit.
     */
    async readLatestAfter(audience: Audience, cursor: number, limit: number): Promise<ChangeLogEntry[]> {
      let query = db
        .selectFrom('changes as c')
        .select(['c.seq', 'c.entity', 'c.entity_id', 'c.job_id'])
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
      const rows = await query.orderBy('c.seq').limit(limit).execute();
      return rows.map((row) => {
        if (!isChangeEntity(row.entity)) throw new Error(`Unknown change log entity: ${row.entity}`);
        return { seq: Number(row.seq), entity: row.entity, entityId: row.entity_id, jobId: row.job_id };
      });
    },

    /** Up to `limit` rows after `cursor` for this audience, in sequence order. */
    async readAfter(audience: Audience, cursor: number, limit: number): Promise<ChangeLogEntry[]> {
      let query = db.selectFrom('changes').select(['seq', 'entity', 'entity_id', 'job_id']).where('seq', '>', cursor);
      query =
        audience === 'office'
          ? query.where('audience_user_id', 'is', null)
          : query.where('audience_user_id', '=', audience.agentId);
      const rows = await query.orderBy('seq').limit(limit).execute();
      return rows.map((row) => {
        if (!isChangeEntity(row.entity)) throw new Error(`Unknown change log entity: ${row.entity}`);
        return { seq: Number(row.seq), entity: row.entity, entityId: row.entity_id, jobId: row.job_id };
      });
    },
  };
}
