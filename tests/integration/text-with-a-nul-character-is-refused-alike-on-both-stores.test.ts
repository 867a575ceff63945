import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { Problem } from '../../shared/api/problem';
import { PullResponse, PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * PostgreSQL cannot store U+0000 in text and used to answer it with a 500 (the hostile-request
 * fuzzer found it once, through a sign-in); SQLite stored it quietly. Both stores now refuse it
 * the same way: a 400 with words for a request, and a refusal of that one change, not its batch,
 * for a push — so one pasted NUL can never wedge a laptop's outbox.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe(`text with a NUL character (${process.env.RECLAIM_TEST_STORE ?? 'sqlite'})`, () => {
  it('is refused with a 400 that says what to remove, at sign-in and in a search', async () => {
    const signIn = await server.api('/api/v1/auth/login', { json: { username: 'agent\u00001', password: 'demo1234', deviceId: 'nul-laptop' } });
    expect(signIn.status).toBe(400);
    expect(Problem.parse(signIn.body).detail).toMatch(/NUL character \(U\+0000\)\. Remove it/);

    const office = await server.login('dispatcher1');
    const search = await server.api(`/api/v1/jobs?q=${encodeURIComponent('Dana\u0000')}`, { token: office.token });
    expect(search.status).toBe(400);
    expect(Problem.parse(search.body).code).toBe('validation');
    expect((await server.api('/api/v1/health')).status).toBe(200);
  });

  it('costs one pushed change, refused with a reason, while the rest of its batch applies', async () => {
    const agent = await server.login('agent1');
    const pulled = PullResponse.parse((await server.api('/api/v1/sync/pull?limit=100', { token: agent.token, protocol: true })).body);
    const job = pulled.changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []))[0];
    if (!job) throw new Error('agent1 needs a job');
    const outbox = deviceOutbox('nul-laptop');
    const bad = outbox.note(job.id, 'Gate code\u00001234', agent.user.id);
    const good = outbox.note(job.id, 'Gate code 1234', agent.user.id);
    const push = async () =>
      PushResponse.parse((await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([bad, good]) })).body).results;

    const first = await push();
    expect(first.map((result) => [result.outcome, result.code])).toEqual([
      ['rejected', 'invalid'],
      ['applied', null],
    ]);
    expect(first[0]?.reason).toMatch(/NUL character/);
    // A retry gets the same answers and stores nothing twice.
    expect((await push()).map((result) => result.outcome)).toEqual(['rejected', 'duplicate']);
    const office = await server.login('dispatcher1');
    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: office.token })).body);
    expect(detail.notes.map((note) => note.id)).toContain(good.data.id);
    expect(detail.notes.map((note) => note.id)).not.toContain(bad.data.id);
  });
});
