import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { testStore } from './helpers/test-database';

const onPostgres = testStore === 'postgres';
if (!onPostgres) process.stderr.write('[integration] skipped "tables are analysed as they grow": it runs in the integration-postgres project\n');

/**
 * A statement prepared while a table was nearly empty keeps the plan made for that size until the
 * table's statistics change (server/store/statistics-keeper.ts). Here `applied_mutations` (a
 * push's remembered answers, one row a change) is analysed once while nearly empty, as autovacuum
 * does early in a new organisation's life, and autovacuum is then switched off for it, so only the
 * server can analyse it again: a connection holding the lookup of a batch's answers as a generic
 * plan must see that plan remade with the primary key once pushes have grown the table, instead
 * of scanning every answer for every push.
 */
describe.skipIf(!onPostgres)('table statistics on PostgreSQL (integration-postgres only)', () => {
  let server: TestServer;
  let observer: pg.Client;
  beforeAll(async () => {
    server = await startTestServer({ statistics: { everyMs: 100, minimumRows: 500 } });
    observer = new pg.Client({ connectionString: server.databaseUrl });
    await observer.connect();
  });
  afterAll(async () => {
    await observer?.end();
    await server?.close();
  });

  const plan = async () => (await observer.query<{ 'QUERY PLAN': string }>(`explain execute answers('{a,b}')`)).rows.map((row) => row['QUERY PLAN']).join('\n');

  it('analyses applied_mutations as pushes grow it, so a plan kept from when it was empty is made again with its index', async () => {
    await observer.query(`alter table applied_mutations set (autovacuum_enabled = false)`);
    // What autovacuum does to a new organisation's table early on: statistics for a near-empty table.
    await observer.query(`analyze applied_mutations`);
    await observer.query(`set plan_cache_mode = force_generic_plan`);
    // The server's own lookup (applyPushBatch), kept by name as the server's connections keep it.
    await observer.query(`prepare answers(text[]) as select "result_json" from "applied_mutations" where "id" = any($1)`);
    expect(await plan()).toMatch(/Seq Scan on applied_mutations/);

    const session = await server.login('agent1');
    const { rows } = await observer.query<{ id: string }>(
      `select j.id from jobs j join users u on u.id = j.assigned_agent_id where u.username = 'agent1' and j.status not in ('closed', 'cancelled') order by j.id limit 1`,
    );
    const jobId = rows[0]?.id;
    if (jobId === undefined) throw new Error('the demo organisation gives agent1 an open job');
    const outbox = deviceOutbox('agent1-laptop');
    for (let batch = 0; batch < 60; batch++) {
      const notes = Array.from({ length: 50 }, (_, n) => outbox.note(jobId, `round ${batch} note ${n}`, session.user.id));
      const answer = await server.api('/api/v1/sync/push', { token: session.token, protocol: true, json: outbox.push(notes) });
      expect(answer.status).toBe(200);
    }

    // With autovacuum off for the table, only the server's keeper can have analysed it.
    const deadline = Date.now() + 30_000;
    let counted = -1;
    while (Date.now() < deadline) {
      const stats = await observer.query<{ reltuples: number }>(`select reltuples::float8 as reltuples from pg_class where relname = 'applied_mutations'`);
      counted = Number(stats.rows[0]?.reltuples);
      if (counted >= 1_000) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(counted).toBeGreaterThanOrEqual(1_000);
    const after = await plan();
    expect(after).toMatch(/applied_mutations_pkey/);
    expect(after).not.toMatch(/Seq Scan/);
  });
});
