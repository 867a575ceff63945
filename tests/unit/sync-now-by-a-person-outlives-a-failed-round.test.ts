import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { SyncScheduler, type RoundRequest } from '../../renderer/sync/scheduler';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it('runs a round a person asked for during a failing round at once, marked as theirs, instead of waiting out the back-off', async () => {
  const rounds: RoundRequest[] = [];
  let fail: (error: Error) => void = () => undefined;
  const scheduler = new SyncScheduler({
    intervalMs: 60_000,
    minBackoffMs: 60_000,
    random: () => 0,
    run: (request) => {
      rounds.push(request);
      if (rounds.length > 1) return Promise.resolve();
      return new Promise<void>((_, reject) => {
        fail = reject;
      });
    },
  });

  scheduler.start();
  const asked = scheduler.syncNow({ byPerson: true });
  fail(new Error('3 records wait for photos or signatures to upload'));
  await asked;

  expect(rounds).toEqual([{ byPerson: false }, { byPerson: true }]);
  scheduler.stop();
});

it('leaves a timer round unmarked and lets the back-off decide after it fails', async () => {
  const rounds: RoundRequest[] = [];
  const scheduler = new SyncScheduler({
    intervalMs: 60_000,
    minBackoffMs: 10_000,
    random: () => 0,
    run: (request) => {
      rounds.push(request);
      return Promise.reject(new Error('offline'));
    },
  });
  scheduler.start();
  await vi.advanceTimersByTimeAsync(0);
  expect(rounds).toEqual([{ byPerson: false }]);
  await vi.advanceTimersByTimeAsync(4_999);
  expect(rounds).toHaveLength(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(rounds).toEqual([{ byPerson: false }, { byPerson: false }]);
  scheduler.stop();
});
