import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeta } from '../../renderer/db/meta';
import { SyncError } from '../../renderer/sync/sync-error';
import { startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: a pull page that failed validation still advanced the cursor, so the changes in it
 * were never stored and never asked for again. A page this app cannot read stores nothing and
 * leaves the cursor where the last good page put it.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

describe('an invalid pull page never moves the cursor', () => {
  it('refuses the page, keeps the cursor, and reads it again once it is valid', async () => {
    let pages = 0;
    let corrupt = true;
    const agent = await env.laptop('agent1', {
      pullLimit: 10,
      wrapApi: (api) => ({
        ...api,
        push: (request) => api.push(request),
        async pull(cursor, limit) {
          const page = (await api.pull(cursor, limit)) as { changes: { data?: { status?: string } }[]; cursor: string };
          pages += 1;
          if (corrupt && pages === 2) {
            const [first] = page.changes;
            if (first?.data) first.data.status = 'teleported';
          }
          return page;
        },
      }),
    });

    const error = await agent.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('invalid_response');
    expect((error as SyncError).retryable).toBe(true);
    const cursorAfterFirstPage = await readMeta(agent.db, 'cursor');
    const jobsAfterFirstPage = await agent.db.jobs.count();
    expect(cursorAfterFirstPage).toBeDefined();
    expect(jobsAfterFirstPage).toBeGreaterThan(0);
    expect(jobsAfterFirstPage).toBeLessThanOrEqual(10);

    corrupt = false;
    await agent.engine.syncOnce();
    const { token } = await env.server.login('dispatcher1');
    const remote = (await env.server.api(`/api/v1/jobs?assignedAgentId=${agent.login.user.id}&limit=1000`, { token })).body as { jobs: { id: string; status: string }[] };
    // Closed and cancelled jobs never stay on an agent's laptop.
    const open = remote.jobs.filter((job) => job.status !== 'closed' && job.status !== 'cancelled');
    expect((await agent.db.jobs.toArray()).map((job) => job.id).sort()).toEqual(open.map((job) => job.id).sort());
    expect(Number(await readMeta(agent.db, 'cursor'))).toBeGreaterThan(Number(cursorAfterFirstPage));
  });
});
