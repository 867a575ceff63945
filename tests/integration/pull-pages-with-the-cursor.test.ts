import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULL_NEXT_CURSOR_HEADER, PullResponse, type Change } from '../../shared/sync/protocol';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function walk(token: string, limit: number): Promise<{ changes: Change[]; pages: number; cursor: string }> {
  let cursor = '0';
  const changes: Change[] = [];
  let pages = 0;
  for (;;) {
    const answer = await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=${limit}`, { token, protocol: true });
    expect(answer.status).toBe(200);
    const page = PullResponse.parse(answer.body);
    pages += 1;
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    for (const change of page.changes) expect(BigInt(change.seq)).toBeGreaterThan(BigInt(cursor));
    if (page.changes.length > 0) {
      expect(BigInt(page.cursor)).toBeGreaterThan(BigInt(cursor));
      expect(page.cursor).toBe(page.changes.at(-1)?.seq);
    }
    // The header names the next page's cursor, the body's own, on every page with more; none on the last.
    expect(answer.headers.get(PULL_NEXT_CURSOR_HEADER)).toBe(page.hasMore ? page.cursor : null);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) break;
    expect(pages).toBeLessThan(1000);
  }
  return { changes, pages, cursor };
}

describe.each(['dispatcher1', 'agent1'])('pulling as %s', (username) => {
  it('walks every change exactly once in small pages, ending with hasMore false', async () => {
    const { token } = await server.login(username);
    const whole = PullResponse.parse((await server.api('/api/v1/sync/pull?limit=1000', { token, protocol: true })).body);
    expect(whole.hasMore).toBe(false);
    expect(whole.changes.length).toBeGreaterThan(10);

    const walked = await walk(token, 7);
    expect(walked.pages).toBeGreaterThan(2);
    const seqs = walked.changes.map((change) => change.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(whole.changes.map((change) => change.seq));

    const after = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${walked.cursor}&limit=7`, { token, protocol: true })).body);
    expect(after).toMatchObject({ changes: [], cursor: walked.cursor, hasMore: false });
  });

  it('says, when asked, how many records the rest of the pull brings: the progress a first sync shows', async () => {
    const { token } = await server.login(username);
    const first = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=7&remaining=1', { token, protocol: true })).body);
    expect(first.hasMore).toBe(true);
    const rest = await server.api(`/api/v1/sync/pull?cursor=${first.cursor}&limit=1000`, { token, protocol: true });
    expect(first.remaining).toBe(PullResponse.parse(rest.body).changes.length);
    const unasked = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=7', { token, protocol: true })).body);
    expect(unasked.remaining).toBeUndefined();
  });
});

it('lets the app’s own origin read the next cursor header, so the desktop app can ask ahead', async () => {
  const { token } = await server.login('agent1');
  const answer = await server.api('/api/v1/sync/pull?cursor=0&limit=2', { token, protocol: true, headers: { origin: 'app://reclaim' } });
  expect(answer.status).toBe(200);
  expect(answer.headers.get('access-control-allow-origin')).toBe('app://reclaim');
  expect(answer.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain(PULL_NEXT_CURSOR_HEADER);
  expect(answer.headers.get(PULL_NEXT_CURSOR_HEADER)).toBe(PullResponse.parse(answer.body).cursor);
});

it('refuses a cursor that is not the server’s decimal text', async () => {
  const { token } = await server.login('agent1');
  const answer = await server.api('/api/v1/sync/pull?cursor=2024-06-01T00:00:00Z', { token, protocol: true });
  expect(answer.status).toBe(400);
});
