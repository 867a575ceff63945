import { afterAll, beforeAll, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

const hour = 60 * 60 * 1000;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ sessionTtlMs: 8 * hour, sessionMaxLifetimeMs: 20 * hour });
});
afterAll(() => server.close());

async function refresh(token: string): Promise<{ status: number; body: unknown }> {
  return server.api('/api/v1/auth/refresh', { method: 'POST', token });
}

it('refreshing slides the expiry but never past the limit counted from the password', async () => {
  const login = await server.login('agent2');
  const signedInAt = Date.parse(login.expiresAt) - 8 * hour;

  server.advanceClock(7 * hour);
  const first = await refresh(login.token);
  expect(first.status).toBe(200);
  const firstSession = LoginResponse.parse(first.body);
  // Slid: a fresh 8 hours from now, 15 hours after the password was typed.
  expect(Date.parse(firstSession.expiresAt) - signedInAt).toBeGreaterThan(14.9 * hour);
  expect(Date.parse(firstSession.expiresAt) - signedInAt).toBeLessThanOrEqual(15 * hour + 1000);

  server.advanceClock(7 * hour);
  const second = LoginResponse.parse((await refresh(firstSession.token)).body);
  // Capped: 14 + 8 would be 22 hours, the limit is 20.
  expect(Math.abs(Date.parse(second.expiresAt) - (signedInAt + 20 * hour))).toBeLessThanOrEqual(1000);

  server.advanceClock(5 * hour);
  const atLimit = await refresh(second.token);
  expect(atLimit.status).toBe(401);
  const problem = Problem.parse(atLimit.body);
  expect(problem.code).toBe('session_expired');
  expect(problem.detail).toMatch(/sign in again with your password/i);
  // Refusing to refresh does not end the session early: it still works until its limit.
  expect((await server.api('/api/v1/auth/me', { token: second.token })).status).toBe(200);

  server.advanceClock(1 * hour + 2000);
  expect((await server.api('/api/v1/auth/me', { token: second.token })).status).toBe(401);

  // Typing the password starts a new chain with the full allowance.
  const again = await server.login('agent2');
  expect((await refresh(again.token)).status).toBe(200);
});
