import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler } from '../../renderer/sync/scheduler';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the sync scheduler', () => {
  it('never runs two rounds at once and runs one more round for a request made during a round', async () => {
    let running = 0;
    let maxRunning = 0;
    let rounds = 0;
    let release: () => void = () => undefined;
    const scheduler = new SyncScheduler({
      run: async () => {
        running += 1;
        rounds += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        running -= 1;
      },
    });

    scheduler.start();
    void scheduler.syncNow();
    void scheduler.syncNow();
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);

    expect(maxRunning).toBe(1);
    expect(rounds).toBe(2);
    scheduler.stop();
  });

  it('debounces bursts of local writes into one round', async () => {
    const run = vi.fn(() => Promise.resolve());
    const scheduler = new SyncScheduler({ run, debounceMs: 1000, intervalMs: 60_000 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    run.mockClear();

    scheduler.requestSoon();
    await vi.advanceTimersByTimeAsync(500);
    scheduler.requestSoon();
    await vi.advanceTimersByTimeAsync(999);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
    scheduler.stop();
  });

  it('backs off exponentially after failures and stops retrying what only a person can fix', async () => {
    const run = vi.fn(() => Promise.reject(new Error('offline')));
    const scheduler = new SyncScheduler({ run, minBackoffMs: 1000, maxBackoffMs: 8000, random: () => 1 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(3);
    scheduler.stop();

    const halted = vi.fn(() => Promise.reject(new Error('session expired')));
    const haltedScheduler = new SyncScheduler({ run: halted, isRetryable: () => false });
    haltedScheduler.start();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(halted).toHaveBeenCalledTimes(1);
    haltedScheduler.stop();
  });
});
