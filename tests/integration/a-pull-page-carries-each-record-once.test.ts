import { afterAll, beforeAll, expect, it } from 'vitest';
import { PullResponse, type Change } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { testStore } from './helpers/test-database';

// Every change to a job appends a log row for it; a page carries the record's current snapshot,
// so an older row for the same record would only send the same data again. A page carries each
// record once, at its latest sequence, and paging still reaches every record.
let server: TestServer;
let agentToken: string;
let agentId: string;
let dispatcherToken: string;
let jobIds: string[];
beforeAll(async () => {
  server = await startTestServer();
  const agent = await server.login('agent1');
  agentToken = agent.token;
  agentId = agent.user.id;
  dispatcherToken = (await server.login('dispatcher1')).token;
  const first = PullResponse.parse((await server.api('/api/v1/sync/pull?limit=1000', { token: agentToken, protocol: true })).body);
  jobIds = [...new Set(first.changes.flatMap((change) => (change.entity === 'job' ? [change.data.id] : [])))].slice(0, 4);
  if (jobIds.length === 0) throw new Error('agent1 needs a job');
});
afterAll(() => server.close());

function keyOf(change: Change): string {
  return change.op === 'remove' ? `${change.entity}:${change.id}` : `${change.entity}:${(change.data as { id: string }).id}`;
}

async function pullAll(token: string, limit: number, cursor = '0') {
  const pages: Change[][] = [];
  for (;;) {
    const page = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=${limit}`, { token, protocol: true })).body);
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    pages.push(page.changes);
    expect(Number(page.cursor)).toBeGreaterThanOrEqual(Number(cursor));
    cursor = page.cursor;
    if (!page.hasMore) return { pages, cursor };
  }
}

function repeatsWithin(page: readonly Change[]): string[] {
  const seen = new Set<string>();
  return page.map(keyOf).filter((key) => (seen.has(key) ? true : (seen.add(key), false)));
}

it(`carries each record once in a fresh pull after churn, on ${testStore}`, async () => {
  const outbox = deviceOutbox('agent1-laptop');
  const notes = Array.from({ length: 60 }, (_, i) => outbox.note(jobIds[i % jobIds.length]!, `churn ${i}`, agentId));
  // Churn: every note touches its job again, at once from many pushes.
  const answers = await Promise.all(notes.map((note) => server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: outbox.push([note]) })));
  expect(answers.map((answer) => answer.status).every((status) => status === 200)).toBe(true);

  for (const token of [agentToken, dispatcherToken]) {
    const whole = await pullAll(token, 1000);
    const page = whole.pages.flat();
    expect(repeatsWithin(page)).toEqual([]);
    for (const jobId of jobIds) expect(page.filter((change) => keyOf(change) === `job:${jobId}`)).toHaveLength(1);
    const pulledNotes = new Set(page.flatMap((change) => (change.entity === 'jobNote' ? [change.data.id] : [])));
    for (const note of notes) expect(pulledNotes.has(note.data.id)).toBe(true);
    // Seqs ascend within the page, and the cursor is the last one carried.
    const seqs = page.map((change) => Number(change.seq));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));

    // Small pages: no repeats within any page, and every note still arrives.
    const paged = await pullAll(token, 7);
    for (const small of paged.pages) expect(repeatsWithin(small)).toEqual([]);
    const pagedNotes = new Set(paged.pages.flat().flatMap((change) => (change.entity === 'jobNote' ? [change.data.id] : [])));
    for (const note of notes) expect(pagedNotes.has(note.data.id)).toBe(true);
    expect(paged.cursor).toBe(whole.cursor);
  }
});

it('loses nothing and repeats nothing within a page while pushes keep touching the same jobs', async () => {
  const start = PullResponse.parse((await server.api('/api/v1/sync/pull?limit=1000', { token: agentToken, protocol: true })).body);
  let cursor = start.cursor;
  const outbox = deviceOutbox('agent1-laptop');
  const notes = Array.from({ length: 40 }, (_, i) => outbox.note(jobIds[i % jobIds.length]!, `live churn ${i}`, agentId));
  const seen = new Set<string>();
  let pushing = true;
  const pulling = (async () => {
    while (pushing) {
      const page = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=5`, { token: agentToken, protocol: true })).body);
      expect(repeatsWithin(page.changes)).toEqual([]);
      for (const change of page.changes) if (change.entity === 'jobNote') seen.add(change.data.id);
      cursor = page.cursor;
    }
  })();
  await Promise.all(notes.map((note) => server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: outbox.push([note]) })));
  pushing = false;
  await pulling;
  const rest = await pullAll(agentToken, 50, cursor);
  for (const page of rest.pages) {
    expect(repeatsWithin(page)).toEqual([]);
    for (const change of page) if (change.entity === 'jobNote') seen.add(change.data.id);
  }
  for (const note of notes) expect(seen.has(note.data.id)).toBe(true);
});
