import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../renderer/sync/sync-error';
import type { FaultKind } from './fault-proxy/fault-proxy';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: a push that reaches the server more than once (a retry after a lost answer, a
 * duplicated request, a body cut half-way) must store each record once, never twice.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

const faults: FaultKind[] = ['duplicate', 'drop-response', 'cut-response', 'cut-request', 'drop-request'];

describe('a retried push stores each record once', () => {
  it.each(faults)('after %s on the push', async (fault) => {
    const agent = await env.laptop('agent1');
    await agent.engine.syncOnce();
    const job = await firstJob(agent, 'all');
    const note = await agent.jobs.addJobNote(job.id, `once after ${fault}`);
    const second = await agent.jobs.addJobNote(job.id, `also once after ${fault}`);

    env.proxy.forceNext(fault);
    const first = await agent.engine.syncOnce().then(
      () => null,
      (error: unknown) => error,
    );
    if (first !== null) {
      expect(first).toBeInstanceOf(SyncError);
      expect((first as SyncError).retryable).toBe(true);
      await agent.engine.syncOnce();
    }

    expect(await agent.db.outbox.count()).toBe(0);
    const detail = await env.detail(job.id);
    expect(detail.notes.filter((stored) => stored.id === note.id)).toHaveLength(1);
    expect(detail.notes.filter((stored) => stored.id === second.id)).toHaveLength(1);
    const local = await agent.jobs.getJobDetail(job.id);
    expect(local?.notes.filter((stored) => stored.text.endsWith(`after ${fault}`))).toHaveLength(2);
  });
});
