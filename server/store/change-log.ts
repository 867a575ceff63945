import { sql, type Insertable, type InsertQueryBuilder, type InsertResult, type Kysely, type RawBuilder } from 'kysely';
import { doorEntities, type DoorEntity } from '../../shared/sync/door-protocol';
import { CHANGE_LOG_LOCK_KEY, CHANGES_CHANNEL, storeKindOf } from './dialect';
import type { Database } from './schema';
import { insertTextRows, insertTextRowsStatement, unnestTextRows, type TextRows } from './text-columns';

export type ChangeEntity = 'job' | 'jobRemoval' | 'jobStatusChange' | 'jobNote' | DoorEntity;

export interface ChangeLogEntry {
  readonly seq: number;
  readonly entity: ChangeEntity;
  readonly entityId: string;
  readonly jobId: string;
}

/** The audience of a log row: one agent, or the office (every office user reads the same rows). */
export type Audience = { readonly agentId: string } | 'office';

export interface Appended {
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

type ChangeRow = Insertable<Database['changes']>;

/** What a write transaction (see writeTransaction) appends only at its end, under the lock. */
interface PendingAppends {
  readonly rows: ChangeRow[];
  readonly underLock: ((trx: Kysely<Database>) => Promise<void>)[];
  /** Rows for other tables that go in the transaction's last statement (insertTextRowsAtCommit). */
  readonly alongside: RawBuilder<unknown>[];
}

/** Open PostgreSQL write transactions and what they will append just before they commit. */
const pendingAppends = new WeakMap<Kysely<Database>, PendingAppends>();

/** Rows per INSERT on SQLite: five parameters a row keeps one statement well under its 32,766. */
const ROWS_PER_INSERT = 2_000;

const CHANGE_COLUMNS = ['entity', 'entity_id', 'job_id', 'audience_user_id', 'op'] as const;

function changeRowsAsText(rows: readonly ChangeRow[]): TextRows<'changes'> {
  return { table: 'changes', columns: CHANGE_COLUMNS, rows: rows.map((row) => [row.entity, row.entity_id, row.job_id, row.audience_user_id ?? null, row.op]) };
}

/** Takes the change-log lock once per transaction and queues its one NOTIFY (delivered on commit). */
async function lockChangeLog(trx: Kysely<Database>): Promise<void> {
  if (lockedTransactions.has(trx)) return;
  await sql`select pg_advisory_xact_lock(${sql.lit(CHANGE_LOG_LOCK_KEY)}), pg_notify(${CHANGES_CHANNEL}, '')`.execute(trx);
  lockedTransactions.add(trx);
}

/** Writes change-log rows now: in chunks of VALUES on SQLite, as one unnest statement on PostgreSQL. */
async function insertRows(trx: Kysely<Database>, rows: readonly ChangeRow[]): Promise<void> {
  if (storeKindOf(trx) === 'postgres') return insertTextRows(trx, changeRowsAsText(rows));
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx.insertInto('changes').values(rows.slice(start, start + ROWS_PER_INSERT)).execute();
  }
}

/**
 * The transaction's last statement: the rows that wait for its end (`alongside`, e.g. the push's
 * remembered answers), then the lock, the NOTIFY and the change-log rows, in one round trip
 * instead of one each. The `alongside` inserts run first and whole (`gate` counts their rows
 * before it takes the lock), so the lock is held for the change-log rows and the COMMIT only.
 * The change-log rows take their numbers in the INSERT's projection, which only runs once `gate`
 * has produced its row, so after the lock is held.
 */
async function insertRowsTakingTheLock(trx: Kysely<Database>, rows: readonly ChangeRow[], before: readonly RawBuilder<unknown>[]): Promise<void> {
  const lockAndNotify = sql`select pg_advisory_xact_lock(${sql.lit(CHANGE_LOG_LOCK_KEY)}), pg_notify(${CHANGES_CHANNEL}, '')`;
  const ctes =
    before.length === 0
      ? sql`gate as (${lockAndNotify})`
      : sql`${sql.join(before.map((insert, index) => sql`${sql.raw(`alongside_${index}`)} as (${insert} returning 1)`))},
        gate as (${lockAndNotify} from (select ${sql.join(before.map((_, index) => sql`(select count(*) from ${sql.raw(`alongside_${index}`)})`))}) as written)`;
  await sql`with ${ctes}
    insert into changes (entity, entity_id, job_id, audience_user_id, op)
    select v.entity, v.entity_id, v.job_id, v.audience_user_id, v.op
    from gate cross join (${unnestTextRows(changeRowsAsText(rows))}) as v`.execute(trx);
}

/**
 * Inserts text rows (PostgreSQL only). Inside a write transaction (see writeTransaction) they wait
 * for its end and go in the same statement as its change-log rows: one round trip less, for rows
 * that nothing in the transaction reads back (a push's remembered answers). Anywhere else they
 * are inserted now.
 */
export async function insertTextRowsAtCommit<T extends keyof Database>(trx: Kysely<Database>, rows: TextRows<T>): Promise<void> {
  if (rows.rows.length === 0) return;
  const pending = pendingAppends.get(trx);
  if (pending) {
    pending.alongside.push(insertTextRowsStatement(rows));
    return;
  }
  await insertTextRows(trx, rows);
}

/**
 * Runs an INSERT that nothing in the transaction reads back (a request's audit line). Inside a
 * PostgreSQL write transaction it waits for the transaction's last statement, like
 * insertTextRowsAtCommit, and costs no round trip of its own; anywhere else it runs now.
 */
export async function insertAtCommit<T extends keyof Database & string>(trx: Kysely<Database>, insert: InsertQueryBuilder<Database, T, InsertResult>): Promise<void> {
  const pending = pendingAppends.get(trx);
  if (pending) {
    pending.alongside.push(sql`${insert}`);
    return;
  }
  await insert.execute();
}

/**
 * A write transaction whose change-log appends (and custody-log appends, see deferToCommit, and
 * rows given to insertTextRowsAtCommit) wait in memory and go to the database in one INSERT at
 * its very end. Use it for every write path that appends; plain db.transaction() still works,
 * only slower on PostgreSQL.
 *
 * Why: PostgreSQL numbers a row when it is inserted, not when it commits. A transaction holding
 * seq 10 could commit after another committed seq 11, and a pull that already moved its cursor
 * to 11 would never see 10. Appends therefore take one transaction-level advisory lock, held to
 * commit, so seq order is commit order and a pull through any instance never skips a row. Taken
 * at the first append, that lock covered the whole rest of a push batch (every mutation's reads
 * and writes), and pushes from all instances committed one after another. Here the batch does
 * all its work in parallel with everyone else's, and the lock covers only the final INSERT (which
 * takes it) and the COMMIT. Nothing in a batch reads the change log back, so holding its rows until the end
 * changes no answer. SQLite has one writer at a time, so its appends are written at once.
 */
export function writeTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (storeKindOf(db) === 'sqlite') return db.transaction().execute(work);
  return db.transaction().execute(async (trx) => {
    const pending: PendingAppends = { rows: [], underLock: [], alongside: [] };
    pendingAppends.set(trx, pending);
    let result: T;
    try {
      result = await work(trx);
    } finally {
      pendingAppends.delete(trx);
    }
    if (pending.rows.length > 0 && pending.underLock.length === 0) {
      await insertRowsTakingTheLock(trx, pending.rows, pending.alongside);
    } else {
      for (const insert of pending.alongside) await insert.execute(trx);
      if (pending.underLock.length > 0) {
        await lockChangeLog(trx);
        for (const task of pending.underLock) await task(trx);
        await insertRows(trx, pending.rows);
      }
    }
    return result;
  });
}

/**
 * Runs `task` at the end of the write transaction, under the change-log lock, just before its
 * change-log rows are inserted; outside a PostgreSQL write transaction it takes the lock and runs
 * now. For appends whose order must be commit order too (the custody log's leaves).
 */
export async function deferToCommit(trx: Kysely<Database>, task: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  const pending = pendingAppends.get(trx);
  if (pending) {
    pending.underLock.push(task);
    return;
  }
  if (storeKindOf(trx) === 'postgres') await lockChangeLog(trx);
  await task(trx);
}

/**
 * The server's monotonic change log: what pull walks with its cursor. Rows carry no payload;
 * pull reads the current snapshot, so a later row for the same record only ever re-sends newer
 * data. Each row is written per audience so an agent's pull is one indexed range scan and can
 * never reach another agent's rows.
 */
/**
 * The log rows after `cursor` that this audience sees and that are their record's latest: what a
 * pull page carries, and what a pull's progress counts (server/sync/pull-remaining.ts).
 */
export function latestRowsAfter(db: Kysely<Database>, audience: Audience, cursor: number) {
  const query = db
    .selectFrom('changes as c')
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
  return audience === 'office' ? query.where('c.audience_user_id', 'is', null) : query.where('c.audience_user_id', '=', audience.agentId);
}

export function changeLog(db: Kysely<Database>) {
  return {
    async append(audience: Audience, entries: readonly Appended[]): Promise<void> {
      if (entries.length === 0) return;
      const audienceUserId = audience === 'office' ? null : audience.agentId;
      const rows: ChangeRow[] = entries.map((entry) => ({
        entity: entry.entity,
        entity_id: entry.entityId,
        job_id: entry.jobId,
        audience_user_id: audienceUserId,
        op: entry.entity === 'jobRemoval' ? 'remove' : 'upsert',
      }));
      if (storeKindOf(db) === 'sqlite') {
        // SQLite has one writer at a time, so sequence order is commit order already.
        await insertRows(db, rows);
        return;
      }
      // In a write transaction the rows wait for its end (see writeTransaction for why).
      const pending = pendingAppends.get(db);
      if (pending) {
        pending.rows.push(...rows);
        return;
      }
      // Anywhere else the lock is taken now and held to commit or rollback, so the order still
      // holds. Should two transactions that touch the same rows end up waiting on each other
      // through this lock, PostgreSQL rolls one back whole (deadlock_detected) and the client is
      // told to retry. NOTIFY is transactional too: delivered on commit, dropped on rollback.
      const write = async (trx: Kysely<Database>) => {
        await lockChangeLog(trx);
        await insertRows(trx, rows);
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
      const rows = await latestRowsAfter(db, audience, cursor).select(['c.seq', 'c.entity', 'c.entity_id', 'c.job_id']).orderBy('c.seq').limit(limit).execute();
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
