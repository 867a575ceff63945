import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMeta } from '../../renderer/db/meta';
import { startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * A pull page names the next page's cursor in its headers, so the app asks for the next page as
 * soon as the headers arrive, before this page's body is read: on a field connection each page's
 * round trip overlaps the work on the pages before it. Through the real server and the real API
 * client: the next page is asked for before the page in hand reaches the engine, and what lands
 * is still every record the agent may see, once, with the last page's cursor.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

describe('a laptop pulling from a server that names the next cursor', () => {
  it('asks for the next page before the page in hand is handed over, and stores every record once', async () => {
    const events: string[] = [];
    const agent = await env.laptop('agent1', {
      pullLimit: 5,
      wrapApi: (api) => ({
        ...api,
        push: (request) => api.push(request),
        async pull(cursor, limit, options) {
          events.push(`ask ${cursor}`);
          const page = (await api.pull(cursor, limit, options)) as { cursor: string; hasMore: boolean };
          events.push(`answer ${cursor} → ${page.cursor}${page.hasMore ? '' : ' (last)'}`);
          return page;
        },
      }),
    });

    await agent.engine.syncOnce();

    const answers = events.filter((event) => event.startsWith('answer'));
    expect(answers.length).toBeGreaterThan(3);
    const firstAnswer = answers[0] ?? '';
    const secondCursor = firstAnswer.split(' → ')[1];
    // The second page was asked for from the first page's headers, before its body came back.
    expect(events.indexOf(`ask ${secondCursor}`)).toBeGreaterThan(0);
    expect(events.indexOf(`ask ${secondCursor}`)).toBeLessThan(events.indexOf(firstAnswer));

    const { token } = await env.server.login('dispatcher1');
    const remote = (await env.server.api(`/api/v1/jobs?assignedAgentId=${agent.login.user.id}&limit=1000`, { token })).body as { jobs: { id: string; status: string }[] };
    // Closed and cancelled jobs never stay on an agent's laptop.
    const open = remote.jobs.filter((job) => job.status !== 'closed' && job.status !== 'cancelled');
    expect((await agent.db.jobs.toArray()).map((job) => job.id).sort()).toEqual(open.map((job) => job.id).sort());
    // The cursor kept is the one the last page gave.
    const last = answers.filter((event) => event.endsWith(' (last)'));
    expect(last).toHaveLength(1);
    expect(await readMeta(agent.db, 'cursor')).toBe(last[0]?.split(' → ')[1]?.replace(' (last)', ''));
  });
});
