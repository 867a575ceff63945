import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

const policy = {
  account: { freeFailures: 3, baseLockMs: 10_000, maxLockMs: 80_000 },
  address: { freeFailures: 12, baseLockMs: 10_000, maxLockMs: 80_000 },
  forgetAfterMs: 24 * 60 * 60_000,
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ loginThrottle: policy });
});
afterAll(() => server.close());

const attempt = (username: string, password: string) => server.api('/api/v1/auth/login', { json: { username, password } });

describe('sign-in throttling', () => {
  it('locks an account after the free failures, with a generic 429 and Retry-After, and doubles the lock', async () => {
    for (let i = 0; i < 3; i += 1) expect((await attempt('agent2', 'wrong-password')).status).toBe(401);
    // The fourth failure is still checked (and fails), and locks the account for 10 s.
    expect((await attempt('agent2', 'wrong-password')).status).toBe(401);

    const locked = await attempt('agent2', 'demo1234');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    const problem = Problem.parse(locked.body);
    expect(problem.code).toBe('rate_limited');
    expect(problem.detail).not.toMatch(/agent2|exist|password/i);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(10);

    server.advanceClock(11_000);
    expect((await attempt('agent2', 'wrong-again')).status).toBe(401);
    // Back-off doubled: 20 s now, so 11 s later it is still locked.
    server.advanceClock(11_000);
    const stillLocked = await attempt('agent2', 'demo1234');
    expect(stillLocked.status).toBe(429);
    server.advanceClock(10_000);
    expect((await attempt('agent2', 'demo1234')).status).toBe(200);
    // A success starts the account afresh.
    expect((await attempt('agent2', 'wrong-password')).status).toBe(401);
    expect((await attempt('agent2', 'demo1234')).status).toBe(200);
  });

  it('answers an unknown user name exactly like a real one, lockout included', async () => {
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await attempt('nobody-at-all', 'guess'));
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 429]);
    expect(Problem.parse(answers[4]?.body).code).toBe('rate_limited');
    server.advanceClock(60_000);
  });

  it('locks an address that sprays one password over many user names', async () => {
    server.advanceClock(25 * 60 * 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await attempt(`spray-${i}`, 'Summer2026!')).status);
    expect(statuses.slice(0, 13).every((status) => status === 401)).toBe(true);
    expect(statuses[13]).toBe(429);
    // Even the right password of a real user waits while the address is locked.
    expect((await attempt('dispatcher1', 'demo1234')).status).toBe(429);
    server.advanceClock(11_000);
    expect((await attempt('dispatcher1', 'demo1234')).status).toBe(200);
  });

  it('refreshes a session into a new token and retires the old one', async () => {
    server.advanceClock(25 * 60 * 60_000);
    const login = await server.login('agent1');
    server.advanceClock(60_000);
    const refreshed = await server.api('/api/v1/auth/refresh', { method: 'POST', token: login.token });
    expect(refreshed.status).toBe(200);
    const fresh = LoginResponse.parse(refreshed.body);
    expect(fresh.token).not.toBe(login.token);
    expect(Date.parse(fresh.expiresAt)).toBeGreaterThan(Date.parse(login.expiresAt));
    expect((await server.api('/api/v1/auth/me', { token: login.token })).status).toBe(401);
    expect((await server.api('/api/v1/auth/me', { token: fresh.token })).status).toBe(200);
  });

  it('signs out everywhere: every token of the user stops working, other users are untouched', async () => {
    const laptop = await server.login('agent1');
    const browser = await server.login('agent1');
    const other = await server.login('agent2');
    expect((await server.api('/api/v1/auth/logout-all', { method: 'POST', token: laptop.token })).status).toBe(204);
    expect((await server.api('/api/v1/auth/me', { token: laptop.token })).status).toBe(401);
    expect((await server.api('/api/v1/auth/me', { token: browser.token })).status).toBe(401);
    expect((await server.api('/api/v1/auth/me', { token: other.token })).status).toBe(200);
  });
});
