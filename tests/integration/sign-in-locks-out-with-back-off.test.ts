import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { defaultLoginThrottlePolicy as policy } from '../../server/security/login-throttle';
import { startTestServer, type TestServer } from './helpers/server';

// The shipped policy, not a test one: the README promises these numbers to administrators.
const free = policy.account.freeFailures;
const lockSeconds = policy.account.baseLockMs / 1000;

let server: TestServer;
beforeAll(async () => {
  // Each attempt spends scrypt's time on purpose; on a busy machine whole seconds pass between two,
  // and the Retry-After this test reads would count them down.
  server = await startTestServer({ frozenClock: true });
});
afterAll(() => server.close());

const attempt = (username: string, password: string) => server.api('/api/v1/auth/login', { json: { username, password } });

const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

it('the README states the limits the server enforces', async () => {
  const readme = (await readFile(new URL('../../README.md', import.meta.url), 'utf8')).replace(/\s+/g, ' ');
  expect(free).toBe(5);
  expect(readme).toContain(`After ${free} failed attempts for one user name`);
  expect(readme).toContain(
    `the ${ordinal(free + 1)} attempt within ${lockSeconds} s of the ${ordinal(free)} failure — even with the right password — is answered \`429 rate_limited\`, its \`Retry-After\` the seconds left of that ${lockSeconds} s lock`,
  );
  expect(readme).toContain(`up to ${policy.account.maxLockMs / 3_600_000} h`);
  expect(readme).toContain(`after ${policy.address.freeFailures} failed attempts (the ${ordinal(policy.address.freeFailures + 1)} is answered 429)`);
  expect(readme).toContain(`none more than ${policy.forgetAfterMs / 3_600_000} h after the one before`);
});

describe('sign-in throttling', () => {
  it(`answers the first ${free} failures 401 and the ${ordinal(free + 1)} attempt 429 for ${lockSeconds} s, then doubles the lock`, async () => {
    for (let i = 0; i < free; i += 1) expect((await attempt('agent2', 'wrong-password')).status).toBe(401);

    // Even the right password waits: the lock is on the account, not on the guess.
    const locked = await attempt('agent2', 'demo1234');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toContain('application/problem+json');
    const problem = Problem.parse(locked.body);
    expect(problem.code).toBe('rate_limited');
    expect(problem.detail).not.toMatch(/agent2|exist|password/i);
    expect(Number(locked.headers.get('retry-after'))).toBe(lockSeconds);

    server.advanceClock(lockSeconds * 1000 - 1_000);
    const lastSecond = await attempt('agent2', 'demo1234');
    expect(lastSecond.status).toBe(429);
    expect(lastSecond.headers.get('retry-after')).toBe('1');
    server.advanceClock(1_000);
    // The lock is over; one more failure locks again for twice as long.
    expect((await attempt('agent2', 'wrong-again')).status).toBe(401);
    const doubled = await attempt('agent2', 'demo1234');
    expect(doubled.status).toBe(429);
    expect(Number(doubled.headers.get('retry-after'))).toBe(2 * lockSeconds);
    server.advanceClock(2 * lockSeconds * 1000);
    expect((await attempt('agent2', 'demo1234')).status).toBe(200);
    // A success starts the account afresh: five more failures are free again.
    for (let i = 0; i < free - 1; i += 1) expect((await attempt('agent2', 'wrong-password')).status).toBe(401);
    expect((await attempt('agent2', 'demo1234')).status).toBe(200);
  });

  it('caps the doubled lock at an hour', async () => {
    server.advanceClock(25 * 60 * 60_000);
    for (let i = 0; i < free; i += 1) expect((await attempt('supervisor1', 'wrong')).status).toBe(401);
    let lock = lockSeconds;
    while (lock < policy.account.maxLockMs / 1000) {
      server.advanceClock(lock * 1000);
      expect((await attempt('supervisor1', 'wrong')).status).toBe(401);
      lock = Math.min(lock * 2, policy.account.maxLockMs / 1000);
      expect(Number((await attempt('supervisor1', 'demo1234')).headers.get('retry-after'))).toBe(lock);
    }
    expect(lock).toBe(3600);
    server.advanceClock(lock * 1000);
  });

  it('answers an unknown user name exactly like a real one, lockout included', async () => {
    server.advanceClock(25 * 60 * 60_000);
    const answers = [];
    for (let i = 0; i <= free; i += 1) answers.push(await attempt('nobody-at-all', 'guess'));
    expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(free).fill(401), 429]);
    expect(Problem.parse(answers[free]?.body).code).toBe('rate_limited');
  });

  it(`locks an address after ${policy.address.freeFailures} failures spread over many user names`, async () => {
    server.advanceClock(25 * 60 * 60_000);
    const spray = policy.address.freeFailures;
    const statuses: number[] = [];
    for (let i = 0; i <= spray; i += 1) statuses.push((await attempt(`spray-${i}`, 'Summer2026!')).status);
    expect(statuses).toEqual([...Array<number>(spray).fill(401), 429]);
    // Even the right password of a real user waits while the address is locked.
    expect((await attempt('dispatcher1', 'demo1234')).status).toBe(429);
    server.advanceClock(policy.address.baseLockMs);
    expect((await attempt('dispatcher1', 'demo1234')).status).toBe(200);
  });

  it('forgets failures a day old', async () => {
    server.advanceClock(25 * 60 * 60_000);
    for (let i = 0; i < free - 1; i += 1) expect((await attempt('agent3', 'wrong')).status).toBe(401);
    server.advanceClock(policy.forgetAfterMs + 1_000);
    // Four old failures and one fresh: not yet five in a row within a day.
    expect((await attempt('agent3', 'wrong')).status).toBe(401);
    expect((await attempt('agent3', 'demo1234')).status).toBe(200);
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
