import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

const hour = 60 * 60 * 1000;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ sessionTtlMs: 8 * hour });
});
afterAll(() => server.close());

it('an expired session answers session_expired and says local work is kept', async () => {
  const login = await server.login('agent2');
  expect(Date.parse(login.expiresAt) - Date.now()).toBeGreaterThan(7.9 * hour);
  expect(Date.parse(login.expiresAt) - Date.now()).toBeLessThanOrEqual(8 * hour);
  expect((await server.api('/api/v1/auth/me', { token: login.token })).status).toBe(200);

  server.advanceClock(8 * hour + 1000);
  const answer = await server.api('/api/v1/sync/pull', { token: login.token, protocol: true });
  expect(answer.status).toBe(401);
  const problem = Problem.parse(answer.body);
  expect(problem.code).toBe('session_expired');
  expect(problem.detail).toMatch(/sign in again/i);
  expect(problem.detail).toMatch(/kept/i);

  const again = LoginResponse.parse((await server.api('/api/v1/auth/login', { json: { username: 'agent2', password: 'demo1234' } })).body);
  expect((await server.api('/api/v1/auth/me', { token: again.token })).status).toBe(200);
});
