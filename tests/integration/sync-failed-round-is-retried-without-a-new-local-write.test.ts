import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../renderer/sync/sync-error';
import { SyncScheduler } from '../../renderer/sync/scheduler';
import type { FieldLaptop } from './fault-proxy/field-laptop';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: after a failed round (an upload cut, a push lost) nothing was sent again until the
 * agent happened to write something else. The scheduler must retry by itself, with back-off.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

function schedulerFor(laptop: FieldLaptop) {
  let rounds = 0;
  let current: Promise<unknown> = Promise.resolve();
  const scheduler = new SyncScheduler({
    run: async () => {
      rounds += 1;
      const round = laptop.engine.syncOnce();
      current = round.catch(() => undefined);
      await round;
    },
    isRetryable: (error) => !(error instanceof SyncError) || error.retryable,
    // Only the back-off may bring the retry: no interval round, no local write.
    intervalMs: 60 * 60_000,
    minBackoffMs: 20,
    maxBackoffMs: 200,
  });
  return {
    scheduler,
    rounds: () => rounds,
    /** Stops, and waits for a round already under way so it cannot outlive the test. */
    async stop() {
      scheduler.stop();
      await current;
    },
  };
}

/** Runs the laptop's scheduler alone until its outbox drains; answers how many rounds that took. */
async function roundsUntilOutboxEmpty(laptop: FieldLaptop): Promise<number> {
  const { scheduler, rounds, stop } = schedulerFor(laptop);
  scheduler.start();
  try {
    await until(async () => (await laptop.db.outbox.count()) === 0);
  } finally {
    await stop();
  }
  return rounds();
}

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition was not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a failed sync round is retried without a new local write', () => {
  it('pushes a change whose first push was lost', async () => {
    const agent = await env.laptop('agent1');
    await agent.engine.syncOnce();
    const job = await firstJob(agent, 'all');
    const note = await agent.jobs.addJobNote(job.id, 'retried by the scheduler alone');
    env.proxy.forceNext('drop-request');
    expect(await roundsUntilOutboxEmpty(agent)).toBeGreaterThanOrEqual(2);
    expect((await env.detail(job.id)).notes.filter((stored) => stored.id === note.id)).toHaveLength(1);
  });

  it('uploads a photo whose upload was cut, then the record that names it', async () => {
    const agent = await env.laptop('agent1');
    await agent.engine.syncOnce();
    const job = await firstJob(agent, 'all');
    const bytes = randomBytes(20_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const photo = await agent.door.addPhoto({
      jobId: job.id,
      subject: 'job',
      subjectId: null,
      image: { blob: new Blob([bytes], { type: 'image/jpeg' }), sha256, width: 800, height: 600, thumbnail: null, capturedAt: null },
      place: null,
    });
    // The upload is the first request of the round; the blob then waits out its own back-off.
    env.proxy.forceNext('cut-request');
    expect(await roundsUntilOutboxEmpty(agent)).toBeGreaterThanOrEqual(2);
    expect((await agent.db.blobs.get(sha256))?.state).toBe('uploaded');
    const stored = await env.server.api(`/api/v1/blobs/${sha256}`, { token: agent.login.token });
    expect(stored.status).toBe(200);
    expect(await agent.db.rejectedMutations.count()).toBe(0);
    expect(photo.sha256).toBe(sha256);
  });
});
