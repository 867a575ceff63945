import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * PostgreSQL statements prepared once per connection and executed by name after that.
 *
 * Why: every statement pg sends unnamed is parsed, analysed and planned again by PostgreSQL,
 * and a push batch's statements are long (a 50-row insert carries 300 parameters). With names,
 * the CPU PostgreSQL's backends spent on a batch of 50 notes fell by about 28 % in the
 * server-load bench (README, "Where the scale targets stand").
 *
 * Which statements get a name: a text with parameters is named once this process has sent it
 * twice (a one-off, such as a migration step, never is) unless it is very long, and each
 * connection holds at most `perConnection` names; past that, new texts go unnamed as before.
 * So PostgreSQL's memory for prepared statements is bounded per connection whatever SQL the
 * server sends. A named statement keeps the plan made for its tables' sizes at the time; the
 * statistics keeper (statistics-keeper.ts) has those plans remade as the tables grow.
 *
 * A migration can change a table under a prepared `select *`: PostgreSQL then refuses the
 * statement ("cached plan must not change result type", 0A000), which is what a rolling upgrade
 * does to an older instance. That error starts a new generation of names on the connection
 * (its old statements are deallocated before its next statement), so the next request prepares
 * afresh; the request that met it fails once with a retryable error (isStalePreparedStatement).
 */
export interface PreparedStatementsOptions {
  readonly perConnection: number;
}

/** How many distinct texts the process remembers having sent, to tell repeated ones from one-offs. */
const SEEN_TEXTS_LIMIT = 5_000;
/** Longer texts (inserts of thousands of rows, sent rarely) are not worth a plan held per connection. */
const LONGEST_NAMED_TEXT = 16_384;

interface ConnectionNames {
  generation: number;
  readonly names: Map<string, string>;
  /** Set when a statement went stale: its names are dropped before the connection's next statement. */
  deallocate: boolean;
}

/** PostgreSQL's refusal of a prepared statement whose table a migration has changed since. */
export function isStalePreparedStatement(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}

export function preparedStatementsPool(pool: pg.Pool, options: PreparedStatementsOptions): PostgresPool {
  const seen = new Map<string, number>();
  const byConnection = new WeakMap<pg.PoolClient, ConnectionNames>();

  const nameFor = (state: ConnectionNames, text: string): string | undefined => {
    const named = state.names.get(text);
    if (named !== undefined) return named;
    if (text.length > LONGEST_NAMED_TEXT) return undefined;
    const count = (seen.get(text) ?? 0) + 1;
    if (count === 1 && seen.size >= SEEN_TEXTS_LIMIT) seen.clear();
    seen.set(text, count);
    if (count < 2 || state.names.size >= options.perConnection) return undefined;
    const name = `reclaim_${state.generation}_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    state.names.set(text, name);
    return name;
  };

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let state = byConnection.get(client);
    if (state === undefined) {
      state = { generation: 0, names: new Map(), deallocate: false };
      byConnection.set(client, state);
    }
    const names = state;
    async function run<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
      // A transaction that failed accepts nothing but its rollback, so the stale names wait for it.
      if (names.deallocate && !/^\s*rollback/i.test(text)) {
        names.deallocate = false;
        await client.query('deallocate all');
      }
      // Without parameters pg sends a text by the simple protocol, which also takes several
      // statements at once; naming it would refuse those, so it stays as pg sends it.
      const name = parameters.length > 0 ? nameFor(names, text) : undefined;
      try {
        const result = await client.query<R & pg.QueryResultRow>(name === undefined ? { text, values: [...parameters] } : { name, text, values: [...parameters] });
        return { command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows };
      } catch (error) {
        if (isStalePreparedStatement(error)) {
          names.generation += 1;
          names.names.clear();
          names.deallocate = true;
        }
        throw error;
      }
    }
    function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query<R>(first: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
      if (typeof first !== 'string') return client.query(first as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
      return run<R>(first, parameters ?? []);
    }
    return { query, release: () => client.release() };
  };

  return {
    connect: async () => wrap(await pool.connect()),
    end: () => pool.end(),
  };
}

/**
 * Runs `work` (a whole transaction) again once if a statement of it went stale: the connection has
 * started a new generation of names by then, so the second run prepares afresh. For the sync
 * routes, which laptops call every few seconds through a rolling upgrade.
 */
export async function againIfStale<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isStalePreparedStatement(error)) throw error;
    return work();
  }
}
