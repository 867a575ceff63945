import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Store } from '../../server/store/database';
import { isStalePreparedStatement, preparedStatementsPool } from '../../server/store/prepared-statements';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

const onPostgres = testStore === 'postgres';
if (!onPostgres) process.stderr.write('[integration] skipped "statements are prepared once and survive a migration": it runs in the integration-postgres project\n');

/**
 * On PostgreSQL the server prepares the statements it sends again and again once per connection
 * (server/store/prepared-statements.ts). These check that it does, that a connection never holds
 * more prepared statements than its cap, and that a migration changing a table under a prepared
 * statement (another instance upgrading the database) costs at most one retryable failure, and
 * no failure at all to a laptop's push or pull.
 */
describe.skipIf(!onPostgres)('prepared statements on PostgreSQL (integration-postgres only)', () => {
  const urls: string[] = [];
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    for (const url of urls) await dropTestDatabase(url);
  });

  /** A Kysely on one connection, its statements prepared as the server's are; for a scratch table. */
  async function oneConnection(perConnection: number) {
    const url = await createTestDatabase();
    urls.push(url);
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    pools.push(pool);
    const db = new Kysely<Record<string, Record<string, unknown>>>({ dialect: new PostgresDialect({ pool: preparedStatementsPool(pool, { perConnection }) }) });
    const prepared = async () =>
      (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows.filter((row) => row.name.startsWith('reclaim_'));
    return { url, db, prepared };
  }

  it('prepares a statement sent again, and never one sent once', async () => {
    const url = await createTestDatabase();
    urls.push(url);
    const store: Store = await createDatabase({ kind: 'postgres', url });
    try {
      const seen = await store.db.transaction().execute(async (trx) => {
        const once = trx.selectFrom('users').select('id').where('username', '=', 'nobody-once');
        const often = trx.selectFrom('users').select(['id', 'role']).where('username', '=', 'nobody-often');
        await once.execute();
        for (let i = 0; i < 3; i++) await often.execute();
        const rows = (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows;
        return { rows, onceText: once.compile().sql, oftenText: often.compile().sql };
      });
      const statements = seen.rows.map((row) => row.statement);
      expect(statements).toContain(seen.oftenText);
      expect(statements).not.toContain(seen.onceText);
    } finally {
      await store.close();
    }
  });

  it('holds at most its cap of prepared statements on a connection', async () => {
    const { db, prepared } = await oneConnection(3);
    for (let n = 1; n <= 6; n++) {
      for (let time = 0; time < 3; time++) await sql`select ${n}::int + ${time}::int as sum, ${sql.lit(n)} as n`.execute(db);
    }
    const held = await prepared();
    expect(held).toHaveLength(3);
    // The first three texts repeated were named; the rest still ran, unnamed.
    expect(held.map((row) => row.statement).sort()).toEqual([1, 2, 3].map((n) => `select $1::int + $2::int as sum, ${n} as n`).sort());
  });

  it('fails once with a retryable error when a migration changes a table under a prepared statement, then prepares afresh', async () => {
    const { url, db, prepared } = await oneConnection(50);
    await sql`create table parcels (id int primary key, label text)`.execute(db);
    await sql`insert into parcels values (1, 'crate')`.execute(db);
    const read = () => db.selectFrom('parcels').selectAll().where('id', '=', 1).execute();
    for (let i = 0; i < 3; i++) expect(await read()).toEqual([{ id: 1, label: 'crate' }]);
    expect((await prepared()).some((row) => row.statement.includes('"parcels"'))).toBe(true);

    // Another instance's migration adds a column (an expand step of a rolling upgrade).
    const migrator = new pg.Client({ connectionString: url });
    await migrator.connect();
    await migrator.query(`alter table parcels add column weight_kg int not null default 12`);
    await migrator.end();

    const failure = await read().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isStalePreparedStatement(failure)).toBe(true);
    expect(await read()).toEqual([{ id: 1, label: 'crate', weight_kg: 12 }]);
    // The stale generation was deallocated: only the fresh statement and those after it are held.
    const names = (await prepared()).map((row) => row.name);
    expect(names.every((name) => name.startsWith('reclaim_1_'))).toBe(true);
  });

  describe('a laptop syncing through a migration', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(() => server?.close());

    it('pushes and pulls without an error when a column is added to the jobs table between syncs', async () => {
      const session = await server.login('agent1');
      const outbox = deviceOutbox('agent1-laptop');
      const admin = new pg.Client({ connectionString: server.databaseUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ id: string }>(
          `select j.id from jobs j join users u on u.id = j.assigned_agent_id where u.username = 'agent1' and j.status not in ('closed', 'cancelled') order by j.id limit 1`,
        );
        const jobId = rows[0]?.id;
        if (jobId === undefined) throw new Error('the demo organisation gives agent1 an open job');
        const sync = async (label: string) => {
          const push = await server.api('/api/v1/sync/push', {
            token: session.token,
            protocol: true,
            json: outbox.push([outbox.note(jobId, `${label} a`, session.user.id), outbox.note(jobId, `${label} b`, session.user.id)]),
          });
          const pull = await server.api('/api/v1/sync/pull?cursor=0', { token: session.token, protocol: true });
          return { push, pull };
        };
        // Enough rounds that every statement of a push and a pull is prepared on the connections used.
        for (let round = 0; round < 12; round++) {
          const { push, pull } = await sync(`before ${round}`);
          expect(push.status).toBe(200);
          expect(pull.status).toBe(200);
        }
        await admin.query(`alter table jobs add column expand_step_note text`);
        for (let round = 0; round < 12; round++) {
          const { push, pull } = await sync(`after ${round}`);
          expect(push.status, JSON.stringify(push.body)).toBe(200);
          expect((push.body as { results: { outcome: string }[] }).results.map((result) => result.outcome)).toEqual(['applied', 'applied']);
          expect(pull.status, JSON.stringify(pull.body)).toBe(200);
        }
        const notes = await admin.query<{ count: string }>(`select count(*) from job_notes where job_id = $1 and text like 'after %'`, [jobId]);
        expect(Number(notes.rows[0]?.count)).toBe(24);
      } finally {
        await admin.end();
      }
    });
  });
});
