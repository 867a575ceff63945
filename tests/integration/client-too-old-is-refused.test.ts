import { afterAll, beforeAll, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let token: string;
let agentId: string;
beforeAll(async () => {
  server = await startTestServer();
  const login = await server.login('agent1');
  token = login.token;
  agentId = login.user.id;
});
afterAll(() => server.close());

function expectTooOld(status: number, body: unknown): void {
  expect(status).toBe(426);
  const problem = Problem.parse(body);
  expect(problem.code).toBe('client_too_old');
  expect(problem.detail).toMatch(/update the app/);
  expect(problem.detail).toMatch(/unsynced changes are kept/);
}

it.each([
  ['no protocol header', false],
  ['protocol 0', '0'],
  ['a header that is not a number', 'v1'],
] as const)('refuses a pull with %s', async (_label, protocol) => {
  const answer = await server.api('/api/v1/sync/pull', { token, protocol });
  expectTooOld(answer.status, answer.body);
});

it('refuses a push whose body says an old protocol version, and applies nothing', async () => {
  const outbox = deviceOutbox('agent1-laptop');
  const jobs = await server.api('/api/v1/sync/pull?limit=1', { token, protocol: true });
  const jobId = (jobs.body as { changes: { data: { id: string } }[] }).changes[0]?.data.id ?? '';
  const note = outbox.note(jobId, 'written by an old app', agentId);
  const old = await server.api('/api/v1/sync/push', { token, protocol: true, json: { ...outbox.push([note]), protocolVersion: 0 } });
  expectTooOld(old.status, old.body);

  const headerless = await server.api('/api/v1/sync/push', { token, json: outbox.push([note]) });
  expectTooOld(headerless.status, headerless.body);

  const current = PushResponse.parse((await server.api('/api/v1/sync/push', { token, protocol: true, json: outbox.push([note]) })).body);
  expect(current.results[0]?.outcome).toBe('applied');
});
