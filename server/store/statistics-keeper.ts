import { sql, type Kysely } from 'kysely';
import { STATISTICS_LOCK_KEY } from './dialect';
import type { Database } from './schema';

/**
 * Runs ANALYZE on a PostgreSQL table as soon as it has doubled since its last ANALYZE.
 *
 * Why: a statement prepared by name (prepared-statements.ts) keeps the generic plan PostgreSQL
 * made for it, and PostgreSQL makes that plan once, from the table's size at that moment. A new
 * organisation's tables start empty, so the lookup of a push's note ids was planned as a
 * sequential scan of a near-empty `job_notes` and kept that plan while the table grew to
 * tens of thousands of rows: 25 ms a batch, most of PostgreSQL's work. An ANALYZE replaces the
 * table's statistics and makes every backend drop the plans that depend on it, so they are made
 * again from the table as it is now. Autovacuum does the same, but at its own pace (a look every
 * minute and a table grown by a tenth plus 50 rows); an organisation importing or pushing
 * thousands of rows a minute outruns it.
 *
 * Doubling keeps the work small: ANALYZE reads at most a sample of 30,000 rows, and a table that
 * grows to n rows is analysed about log2(n / minimumRows) times in all. Every instance runs a
 * keeper; a transaction-level advisory lock lets one of them look at a time, and a table another
 * session is analysing is skipped, not waited for.
 */
export interface StatisticsKeeper {
  close(): Promise<void>;
}

export interface StatisticsKeeperOptions {
  /** How often to look (pg_stat_user_tables is cheap to read). */
  readonly everyMs: number;
  /** A table with fewer changes than this since its last ANALYZE is left to autovacuum. */
  readonly minimumRows: number;
}

const defaultStatisticsKeeperOptions: StatisticsKeeperOptions = { everyMs: 5_000, minimumRows: 1_000 };

export function keepStatistics(db: Kysely<Database>, options: StatisticsKeeperOptions = defaultStatisticsKeeperOptions): StatisticsKeeper {
  let running: Promise<void> | undefined;

  const look = () =>
    db.transaction().execute(async (trx) => {
      const { rows: locked } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${sql.lit(STATISTICS_LOCK_KEY)}) as locked`.execute(trx);
      if (!locked[0]?.locked) return;
      // A table never analysed has reltuples -1, so it qualifies once past the minimum.
      const { rows: grown } = await sql<{ name: string }>`
        select s.relname as name
        from pg_stat_user_tables s join pg_class c on c.oid = s.relid
        where s.schemaname = current_schema()
          and s.n_mod_since_analyze >= greatest(${options.minimumRows}::float8, c.reltuples::float8)
        order by s.relname`.execute(trx);
      for (const { name } of grown) await sql`analyze (skip_locked) ${sql.id(name)}`.execute(trx);
    });

  const timer = setInterval(() => {
    // One look at a time; a failed one (the database restarting, say) costs nothing: the next tries again.
    running ??= look()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
  }, options.everyMs);
  timer.unref();

  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
