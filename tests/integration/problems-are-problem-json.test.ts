import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer, type ApiAnswer } from './helpers/server';

let server: TestServer;
let dispatcher: string;
beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
});
afterAll(() => server.close());

function expectProblem(answer: ApiAnswer, status: number, code: string): Problem {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  const problem = Problem.parse(answer.body);
  expect(problem).toMatchObject({ status, code });
  expect(problem.type).toMatch(/^https:\/\//);
  expect(problem.detail.length).toBeGreaterThan(5);
  expect(JSON.stringify(problem)).not.toMatch(/\bat .*\.ts:\d+/);
  return problem;
}

describe('every error answers problem+json', () => {
  it('an unknown route is 404 not_found', async () => {
    expectProblem(await server.api('/api/v1/no-such-thing'), 404, 'not_found');
  });

  it('an unknown job is 404 not_found', async () => {
    expectProblem(await server.api('/api/v1/jobs/0190a0a0-0000-7000-8000-000000000000', { token: dispatcher }), 404, 'not_found');
  });

  it('invalid input is 400 validation with field errors in words', async () => {
    const answer = await server.api('/api/v1/jobs', {
      token: dispatcher,
      json: { clientId: 'not-a-uuid', accountRef: '', customer: { name: 'Ana', phones: [], email: 'nope' }, items: [] },
    });
    const problem = expectProblem(answer, 400, 'validation');
    const paths = (problem.errors ?? []).map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining(['clientId', 'accountRef', 'customer.email', 'items', 'timeZone']));
    expect(problem.errors?.every((error) => error.message.length > 0)).toBe(true);
  });

  it('malformed JSON is 400 validation', async () => {
    const answer = await server.api('/api/v1/auth/login', { method: 'POST', body: '{"username":', headers: { 'content-type': 'application/json' } });
    expectProblem(answer, 400, 'validation');
  });

  it('a bad query is 400 validation naming the parameter', async () => {
    const problem = expectProblem(await server.api('/api/v1/jobs?limit=0&status=lost', { token: dispatcher }), 400, 'validation');
    expect(problem.errors?.map((error) => error.path).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('a missing token is 401, a wrong role is 403', async () => {
    expectProblem(await server.api('/api/v1/jobs'), 401, 'unauthenticated');
    const agent = await server.login('agent1');
    expectProblem(await server.api('/api/v1/jobs', { token: agent.token }), 403, 'forbidden');
  });

  it('a patch that changes nothing is 400 with words', async () => {
    const answer = await server.api('/api/v1/jobs/0190a0a0-0000-7000-8000-000000000000', { method: 'PATCH', token: dispatcher, json: { expectedVersion: 1 } });
    expect(Problem.parse(expectProblem(answer, 400, 'validation')).errors?.[0]?.message).toBe('nothing to change');
  });

  it('a JSON body over the limit is 413 payload_too_large', async () => {
    const answer = await server.api('/api/v1/auth/login', { json: { username: 'x', password: 'y'.repeat(9 * 1024 * 1024) } });
    expectProblem(answer, 413, 'payload_too_large');
  });
});

describe('CORS', () => {
  it('answers a preflight from the Electron app origin', async () => {
    const response = await fetch(`${server.url}/api/v1/sync/push`, {
      method: 'OPTIONS',
      headers: { origin: 'app://reclaim', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, x-reclaim-protocol' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('app://reclaim');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-reclaim-protocol');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('does not grant a foreign origin', async () => {
    const response = await fetch(`${server.url}/api/v1/health`, { headers: { origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
