import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchIdle } from '../../renderer/features/lock/idle-timer';
import { createVerifier, passwordMatches, unlockDelayMs } from '../../renderer/features/lock/password-verifier';
import { createApiClient } from '../../renderer/sync/api-client';
import { SyncError } from '../../renderer/sync/sync-error';

describe('the offline password check', () => {
  it('accepts the password it was made from and nothing else, and stores no password', async () => {
    const verifier = await createVerifier('correct horse battery', 10_000);
    expect(JSON.stringify(verifier)).not.toContain('correct horse');
    expect(verifier).toMatchObject({ algorithm: 'PBKDF2-SHA-256', iterations: 10_000 });
    expect(await passwordMatches('correct horse battery', verifier)).toBe(true);
    expect(await passwordMatches('correct horse batterY', verifier)).toBe(false);
    expect(await passwordMatches('', verifier)).toBe(false);
  });

  it('salts every hash, so the same password never gives the same stored value', async () => {
    const [a, b] = await Promise.all([createVerifier('same', 10_000), createVerifier('same', 10_000)]);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('uses many iterations by default and slows down repeated wrong tries', async () => {
    const verifier = await createVerifier('default-cost');
    expect(verifier.iterations).toBeGreaterThanOrEqual(600_000);
    expect([0, 1, 2, 3].map(unlockDelayMs)).toEqual([0, 0, 0, 0]);
    expect(unlockDelayMs(4)).toBe(2_000);
    expect(unlockDelayMs(50)).toBe(60_000);
  });
});

describe('the idle timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after the quiet time, and input pushes the lock back', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle(target as unknown as Window, 60_000, onIdle, () => Date.now());
    vi.advanceTimersByTime(50_000);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_001);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops watching when asked', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    watchIdle(target as unknown as Window, 1_000, onIdle)();
    vi.advanceTimersByTime(5_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});

describe('a revoked device', () => {
  it('is reported as device_revoked, which waiting does not fix', async () => {
    const problem = { type: 'x', title: 'Device revoked', status: 403, detail: 'revoked', code: 'device_revoked' };
    const api = createApiClient({
      baseUrl: 'http://127.0.0.1:1',
      getToken: async () => 'token',
      fetch: async () => new Response(JSON.stringify(problem), { status: 403, headers: { 'content-type': 'application/problem+json' } }),
    });
    const error = await api.me().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('device_revoked');
    expect((error as SyncError).retryable).toBe(false);
  });
});
