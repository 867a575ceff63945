import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER } from '../../shared/sync/protocol';
import { SyncError } from '../../renderer/sync/sync-error';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: an app built for an older protocol wrote through a newer server's schema. The
 * server answers 426 with "update the app"; the laptop stops (no retry loop), shows the words,
 * and its outbox waits intact for the updated app.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

/** What an app one protocol version behind sends: the old number in the header and the body. */
const outdated: typeof fetch = async (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set(PROTOCOL_HEADER, '0');
  const body = typeof init?.body === 'string' ? JSON.stringify({ ...(JSON.parse(init.body) as object), protocolVersion: 0 }) : init?.body;
  return fetch(input, { ...init, headers, body });
};

describe('an outdated client is refused and keeps its outbox', () => {
  it('gets 426 on push and pull, and nothing is lost or half-applied', async () => {
    const current = await env.laptop('agent1');
    await current.engine.syncOnce();
    const job = await firstJob(current, 'all');

    let old = true;
    const agent = await env.laptop('agent1', { fetch: (input, init) => (old ? outdated(input, init) : fetch(input, init)) });
    // The old app already holds the job and wrote on it offline.
    old = false;
    await agent.engine.syncOnce();
    old = true;
    const note = await agent.jobs.addJobNote(job.id, 'written by the old app');
    await agent.jobs.addJobNote(job.id, 'also by the old app');

    const error = await agent.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('client_too_old');
    expect((error as SyncError).status).toBe(426);
    expect((error as SyncError).retryable).toBe(false);
    expect((error as SyncError).inWords).toMatch(/update the app/i);
    expect(await agent.db.outbox.count()).toBe(2);
    expect(await agent.db.rejectedMutations.count()).toBe(0);
    expect((await env.detail(job.id)).notes.some((stored) => stored.id === note.id)).toBe(false);

    // The pull is refused the same way, before anything is stored.
    const pull = await env.server.api('/api/v1/sync/pull?cursor=0', { token: agent.login.token, protocol: '0' });
    expect(pull.status).toBe(426);

    // After the update, the kept outbox goes through once.
    old = false;
    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
    expect((await env.detail(job.id)).notes.filter((stored) => stored.id === note.id)).toHaveLength(1);
  });
});
