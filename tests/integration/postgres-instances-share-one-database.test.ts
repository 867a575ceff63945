import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveJobEvent } from '../../shared/dispatch/dispatch-api';
import { PullResponse } from '../../shared/sync/protocol';
import { readEvents } from './helpers/event-stream';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { testStore } from './helpers/test-database';

// Several instances behind a load balancer need one shared database; SQLite is one process.
const onPostgres = testStore === 'postgres';
if (!onPostgres) process.stderr.write('[integration] skipped "instances share one PostgreSQL": it runs in the integration-postgres project\n');

describe.skipIf(!onPostgres)('two server instances on one PostgreSQL database (integration-postgres only)', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // Instances on one database share the key-encryption key: the organisation key is sealed under it.
    const keyEncryptionKey = randomBytes(32).toString('base64');
    a = await startTestServer({ keyEncryptionKey });
    // B polls the log only once a minute: anything it shows sooner came through LISTEN/NOTIFY.
    b = await startTestServer({ databaseUrl: a.databaseUrl, livePollMs: 60_000, keyEncryptionKey });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('pushes through A, pulls through B, and B’s live view hears A’s commit at once', async () => {
    const agentOnA = await a.login('agent1');
    const agentOnB = await b.login('agent1');
    const dispatcherOnB = await b.login('dispatcher1');
    const feed = await fetch(`${b.url}/api/v1/events`, { headers: { authorization: `Bearer ${dispatcherOnB.token}` } });
    expect(feed.status).toBe(200);

    // A session is a database row, so a token from A is good on B.
    const first = PullResponse.parse((await b.api('/api/v1/sync/pull?limit=1000', { token: agentOnA.token, protocol: true })).body);
    const job = first.changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []))[0];
    if (!job) throw new Error('agent1 needs a job');

    const outbox = deviceOutbox('agent1-laptop');
    const note = outbox.note(job.id, 'Gate locked; left a card', agentOnA.user.id);
    const started = Date.now();
    const pushed = await a.api('/api/v1/sync/push', { token: agentOnA.token, protocol: true, json: outbox.push([note]) });
    expect(pushed.status).toBe(200);

    const events = await readEvents(feed, (seen) => seen.some((event) => LiveJobEvent.parse(event.data).entity === 'jobNote'), 20_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(events.map((event) => LiveJobEvent.parse(event.data)).find((event) => event.entity === 'jobNote')?.jobId).toBe(job.id);

    const next = PullResponse.parse((await b.api(`/api/v1/sync/pull?cursor=${first.cursor}&limit=1000`, { token: agentOnB.token, protocol: true })).body);
    const notes = next.changes.flatMap((change) => (change.entity === 'jobNote' ? [change.data] : []));
    expect(notes.map((pulled) => pulled.id)).toContain(note.data.id);
  });

  it('loses no change while pushes race through both instances and B pulls in small pages', async () => {
    const agent = await a.login('agent2');
    const first = PullResponse.parse((await a.api('/api/v1/sync/pull?limit=1000', { token: agent.token, protocol: true })).body);
    const jobs = first.changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    if (jobs.length === 0) throw new Error('agent2 needs a job');
    const outbox = deviceOutbox('agent2-laptop');
    const notes = Array.from({ length: 60 }, (_, i) => outbox.note(jobs[i % jobs.length]!.id, `note ${i}`, agent.user.id));

    // Pull in small pages on B while 60 single-note pushes race through A and B.
    let cursor = first.cursor;
    const seen = new Set<string>();
    let pushing = true;
    const pulling = (async () => {
      while (pushing) {
        const page = PullResponse.parse((await b.api(`/api/v1/sync/pull?cursor=${cursor}&limit=7`, { token: agent.token, protocol: true })).body);
        for (const change of page.changes) if (change.entity === 'jobNote') seen.add(change.data.id);
        cursor = page.cursor;
      }
    })();
    await Promise.all(
      notes.map((note, i) => (i % 2 === 0 ? a : b).api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([note]) })),
    );
    pushing = false;
    await pulling;
    for (;;) {
      const page = PullResponse.parse((await b.api(`/api/v1/sync/pull?cursor=${cursor}&limit=50`, { token: agent.token, protocol: true })).body);
      for (const change of page.changes) if (change.entity === 'jobNote') seen.add(change.data.id);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(notes.filter((note) => !seen.has(note.data.id))).toEqual([]);
  });
});
