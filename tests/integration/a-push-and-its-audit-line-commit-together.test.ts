import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { AuditSearchResult } from '../../shared/supervise/supervise-api';
import { PushResponse } from '../../shared/sync/protocol';
import type { Store } from '../../server/store/database';
import { storeKindOf } from '../../server/store/dialect';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { withStore } from './helpers/trust';

/**
 * A sync push writes its audit line inside its own transaction (server/supervise/audit-log.ts
 * auditLineInTransaction): one commit a push instead of two. Through the real HTTP API, on the
 * test store (SQLite, or PostgreSQL in the PostgreSQL run), the two must stand or fall together:
 * a push that cannot be recorded is not applied (and is applied when sent again), and a push that
 * fails leaves no line saying it succeeded, only the line of the error it answered.
 *
 * The faults are real database triggers that refuse one insert, added and dropped beside the
 * running server.
 */
let server: TestServer;
let supervisor: string;
let agent: Awaited<ReturnType<TestServer['login']>>;
let jobId: string;
const outbox = deviceOutbox('agent1-laptop');

beforeAll(async () => {
  server = await startTestServer();
  supervisor = (await server.login('supervisor1')).token;
  agent = await server.login('agent1');
  const dispatcher = (await server.login('dispatcher1')).token;
  const job = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent.user.id}&limit=1`, { token: dispatcher })).body).jobs[0];
  if (!job) throw new Error('the demo organisation gives agent1 a job');
  jobId = job.id;
});
afterAll(() => server.close());

/** Makes the store refuse inserts into `table` whose `column` equals `value`, until the returned function drops the rule. */
async function refuseInsert(table: 'audit_log' | 'job_notes', column: 'route' | 'text', value: string): Promise<() => Promise<void>> {
  const name = `refuse_${table}`;
  await withStore(server, async (store: Store) => {
    if (storeKindOf(store.db) === 'sqlite') {
      await sql`create trigger ${sql.raw(name)} before insert on ${sql.table(table)} when new.${sql.raw(column)} = ${sql.lit(value)}
        begin select raise(abort, 'refused by the test'); end`.execute(store.db);
      return;
    }
    await sql`create function ${sql.raw(name)}() returns trigger language plpgsql as $$
        begin if new.${sql.raw(column)} = ${sql.lit(value)} then raise exception 'refused by the test'; end if; return new; end $$`.execute(store.db);
    await sql`create trigger ${sql.raw(name)} before insert on ${sql.table(table)} for each row execute function ${sql.raw(name)}()`.execute(store.db);
  });
  return () =>
    withStore(server, async (store: Store) => {
      if (storeKindOf(store.db) === 'sqlite') {
        await sql`drop trigger ${sql.raw(name)}`.execute(store.db);
        return;
      }
      await sql`drop trigger ${sql.raw(name)} on ${sql.table(table)}`.execute(store.db);
      await sql`drop function ${sql.raw(name)}()`.execute(store.db);
    });
}

async function pushLines(): Promise<{ status: number; id: string }[]> {
  const answer = await server.api(`/api/v1/audit?route=${encodeURIComponent('/api/v1/sync/push')}&limit=500`, { token: supervisor });
  return AuditSearchResult.parse(answer.body).entries.filter((entry) => entry.username === 'agent1').map((entry) => ({ status: entry.status, id: entry.id }));
}

async function noteTexts(): Promise<string[]> {
  return withStore(server, async (store: Store) => (await store.db.selectFrom('job_notes').select('text').where('job_id', '=', jobId).execute()).map((row) => row.text));
}

it('does not apply a push whose audit line cannot be written, and applies it when it is sent again', async () => {
  const before = await pushLines();
  const push = outbox.push([outbox.note(jobId, 'Left at the door while the log was full', agent.user.id)]);
  const allow = await refuseInsert('audit_log', 'route', '/api/v1/sync/push');
  try {
    const refused = await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: push });
    expect(refused.status).toBeGreaterThanOrEqual(500);
  } finally {
    await allow();
  }
  expect(await noteTexts()).not.toContain('Left at the door while the log was full');
  expect(await pushLines()).toEqual(before);

  // The laptop kept the batch in its outbox and sends the very same one again.
  const again = await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: push });
  expect(again.status).toBe(200);
  expect(PushResponse.parse(again.body).results.map((result) => result.outcome)).toEqual(['applied']);
  expect(await noteTexts()).toContain('Left at the door while the log was full');
  const after = await pushLines();
  expect(after).toHaveLength(before.length + 1);
  expect(after.filter((line) => !before.some((old) => old.id === line.id))).toEqual([expect.objectContaining({ status: 200 })]);
});

it('records a push that failed with the error it answered, never as a success', async () => {
  const before = await pushLines();
  const allow = await refuseInsert('job_notes', 'text', 'A note the database refuses');
  let status: number;
  try {
    const failed = await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([outbox.note(jobId, 'A note the database refuses', agent.user.id)]) });
    status = failed.status;
  } finally {
    await allow();
  }
  expect(status).toBeGreaterThanOrEqual(500);
  expect(await noteTexts()).not.toContain('A note the database refuses');
  const added = (await pushLines()).filter((line) => !before.some((old) => old.id === line.id));
  expect(added).toEqual([expect.objectContaining({ status })]);
});

it('writes one line a push when it succeeds', async () => {
  const before = await pushLines();
  const answers = await Promise.all(
    Array.from({ length: 5 }, (_, n) => server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([outbox.note(jobId, `One line ${n}`, agent.user.id)]) })),
  );
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
  const added = (await pushLines()).filter((line) => !before.some((old) => old.id === line.id));
  expect(added.map((line) => line.status)).toEqual([200, 200, 200, 200, 200]);
});
