import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../renderer/sync/sync-error';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: one laptop with its clock a day ahead stamped its changes with a far-future hybrid
 * logical clock, and every later merge on the server ordered them after everyone else's. The
 * server refuses such a timestamp without folding it into its clock, the laptop keeps the change
 * and says to fix the clock, and the honest laptops' order is untouched.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

const day = 24 * 60 * 60_000;

describe('a far-future client timestamp is refused', () => {
  it('keeps the change on the laptop, says why, and does not poison the server clock', async () => {
    const honest = await env.laptop('agent1');
    const ahead = await env.laptop('agent1', { now: () => new Date(Date.now() + day) });
    await honest.engine.syncOnce();
    await ahead.engine.syncOnce();
    const job = await firstJob(honest, 'all');

    const future = await ahead.jobs.addJobNote(job.id, 'written with the clock a day ahead');
    const error = await ahead.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('clock_drift');
    expect((error as SyncError).inWords).toMatch(/clock|date|time/i);
    expect(await ahead.db.outbox.count()).toBe(1);
    expect(await ahead.db.rejectedMutations.count()).toBe(0);
    expect((await env.detail(job.id)).notes.some((note) => note.id === future.id)).toBe(false);

    // Honest writes after the refusal are ordered by real time, not after the bad clock.
    const one = await honest.jobs.addJobNote(job.id, 'honest one');
    await honest.engine.syncOnce();
    const two = await honest.jobs.addJobNote(job.id, 'honest two');
    await honest.engine.syncOnce();
    const order = (await env.detail(job.id)).notes.map((note) => note.id);
    expect(order.indexOf(one.id)).toBeLessThan(order.indexOf(two.id));
    expect(order.at(-1)).toBe(two.id);

    // Once the server's time reaches the stamp, the kept change goes through, once.
    env.server.advanceClock(day);
    await ahead.engine.syncOnce();
    expect(await ahead.db.outbox.count()).toBe(0);
    expect((await env.detail(job.id)).notes.filter((note) => note.id === future.id)).toHaveLength(1);
  });
});
