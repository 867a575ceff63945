import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { PullResponse, PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { testStore } from './helpers/test-database';

// A laptop whose response was lost sends the same batch again, possibly while the first is still
// being applied, and a load balancer may hand the two copies to different instances. Each copy
// answers 200 (applied, or duplicate for what the other copy applied) or 409 with Retry-After;
// never a 5xx. Every note is stored exactly once.
const ROUNDS = 30;
const onPostgres = testStore === 'postgres';

describe('the same push batch sent twice at once', () => {
  let a: TestServer;
  let b: TestServer;
  let token: string;
  let dispatcherToken: string;
  let agentId: string;
  let jobIds: string[];
  beforeAll(async () => {
    const keyEncryptionKey = randomBytes(32).toString('base64');
    a = await startTestServer({ keyEncryptionKey });
    // On PostgreSQL a second instance shares the database; SQLite has one process, so both copies go to A.
    b = onPostgres ? await startTestServer({ databaseUrl: a.databaseUrl, keyEncryptionKey }) : a;
    const agent = await a.login('agent1');
    token = agent.token;
    agentId = agent.user.id;
    dispatcherToken = (await a.login('dispatcher1')).token;
    const pulled = PullResponse.parse((await a.api('/api/v1/sync/pull?limit=1000', { token, protocol: true })).body);
    jobIds = [...new Set(pulled.changes.flatMap((change) => (change.entity === 'job' ? [change.data.id] : [])))];
    if (jobIds.length === 0) throw new Error('agent1 needs a job');
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  async function race(targets: readonly [TestServer, TestServer]) {
    const outbox = deviceOutbox('agent1-laptop');
    const statuses: number[] = [];
    const texts: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const notes = Array.from({ length: 5 }, (_, i) => outbox.note(jobIds[(round + i) % jobIds.length]!, `race ${randomBytes(6).toString('hex')} ${round}.${i}`, agentId));
      texts.push(...notes.map((note) => note.data.text));
      const body = outbox.push(notes);
      const answers = await Promise.all(targets.map((server) => server.api('/api/v1/sync/push', { token, protocol: true, json: body })));
      for (const answer of answers) {
        statuses.push(answer.status);
        if (answer.status === 200) {
          const results = PushResponse.parse(answer.body).results;
          expect(results.map((result) => result.id)).toEqual(notes.map((note) => note.id));
          expect(results.every((result) => result.outcome === 'applied' || result.outcome === 'duplicate')).toBe(true);
        } else if (answer.status === 409) {
          expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
          expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
      // Whatever the copies answered, one more retry settles it: every mutation was decided once.
      const settled = PushResponse.parse((await a.api('/api/v1/sync/push', { token, protocol: true, json: body })).body);
      expect(settled.results.every((result) => result.outcome === 'duplicate')).toBe(true);
    }
    const serverErrors = statuses.filter((status) => status >= 500).length;
    process.stderr.write(`[retry race ${targets[0] === targets[1] ? 'one instance' : 'two instances'} on ${testStore}] ${statuses.length} answers: ${serverErrors} 5xx, ${statuses.filter((s) => s === 409).length} 409, ${statuses.filter((s) => s === 200).length} 200\n`);
    expect(statuses.filter((status) => status !== 200 && status !== 409)).toEqual([]);

    // Nothing lost, nothing duplicated.
    const counts = new Map<string, number>();
    for (const jobId of jobIds) {
      const detail = JobDetail.parse((await a.api(`/api/v1/jobs/${jobId}`, { token: dispatcherToken })).body);
      for (const note of detail.notes) if (note.text.startsWith('race ')) counts.set(note.text, (counts.get(note.text) ?? 0) + 1);
    }
    for (const text of texts) expect(counts.get(text), text).toBe(1);
  }

  it(`answers every copy of a batch sent twice at once to one instance without a 5xx, ${ROUNDS} rounds`, async () => {
    await race([a, a]);
  });

  it.skipIf(!onPostgres)(`answers every copy of a batch sent at once to two instances without a 5xx, ${ROUNDS} rounds`, async () => {
    await race([a, b]);
  });
});
