import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../shared/sync/protocol';
import { readMeta } from '../../renderer/db/meta';
import { SyncError } from '../../renderer/sync/sync-error';
import { startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: the pull cursor was stored even though the rows of its page never were (a crash
 * between applying rows and writing the cursor), so those changes were skipped for ever. The
 * rows and the cursor commit in one Dexie transaction: a failure inside it leaves neither.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

const pageSize = 10;

describe('the pull checkpoint never advances without its rows', () => {
  it('keeps the last whole page when the transaction of the next one fails', async () => {
    const pages: PullResponse[] = [];
    const agent = await env.laptop('agent1', {
      pullLimit: pageSize,
      wrapApi: (api) => ({
        ...api,
        push: (request) => api.push(request),
        async pull(cursor, limit) {
          const page = await api.pull(cursor, limit);
          pages.push(PullResponse.parse(page));
          return page;
        },
      }),
    });
    let jobsWritten = 0;
    let crashing = true;
    // The crash lands in the middle of the second page, after some of its rows were written.
    agent.db.jobs.hook('creating', () => {
      jobsWritten += 1;
      if (crashing && jobsWritten > pageSize + 2) throw new Error('the laptop lost power');
    });

    const error = await agent.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SyncError);

    // The failed page is the last one fetched; every page before it is stored whole.
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const stored = pages.slice(0, -1);
    expect(await readMeta(agent.db, 'cursor')).toBe(stored.at(-1)?.cursor);
    const expected = stored.flatMap((page) => page.changes.flatMap((change) => (change.entity === 'job' ? [change.data.id] : [])));
    expect((await agent.db.jobs.toArray()).map((job) => job.id).sort()).toEqual([...new Set(expected)].sort());

    crashing = false;
    await agent.engine.syncOnce();
    const { token } = await env.server.login('dispatcher1');
    const remote = (await env.server.api(`/api/v1/jobs?assignedAgentId=${agent.login.user.id}&limit=1000`, { token })).body as { jobs: { id: string; status: string }[] };
    // Closed and cancelled jobs never stay on an agent's laptop.
    const open = remote.jobs.filter((job) => job.status !== 'closed' && job.status !== 'cancelled');
    expect((await agent.db.jobs.toArray()).map((job) => job.id).sort()).toEqual(open.map((job) => job.id).sort());
  });
});
