import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { newId } from '../../shared/ids';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { SyncEngine } from '../../renderer/sync/engine';
import { SyncError } from '../../renderer/sync/sync-error';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The app's own sync engine and repositories, on a real IndexedDB implementation, talking to
 * the real server over real HTTP — with faults injected in the fetch between the two.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

type Fault = 'none' | 'drop-request' | 'drop-response' | 'duplicate-request';

/** A fetch that can lose the request, lose the answer after the server acted, or send twice. */
function faultyFetch(plan: { next: Fault }): typeof fetch {
  return async (input, init) => {
    const fault = plan.next;
    plan.next = 'none';
    if (fault === 'drop-request') throw new TypeError('fetch failed: connection reset');
    if (fault === 'duplicate-request') await fetch(input, init);
    const response = await fetch(input, init);
    if (fault === 'drop-response') {
      await response.arrayBuffer();
      throw new TypeError('fetch failed: the connection closed before the answer arrived');
    }
    return response;
  };
}

async function laptop(username: string, faults: { next: Fault } = { next: 'none' }) {
  const db = new ReclaimDatabase(`laptop-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const api = createApiClient({ baseUrl: server.url, getToken: async () => login.token, fetch: faultyFetch(faults) });
  return { db, engine: new SyncEngine({ db, api, pushBatchSize: 3 }), jobs: new JobsRepository(db), faults };
}

async function serverDetail(jobId: string) {
  const { token } = await server.login('dispatcher1');
  const answer = await server.api(`/api/v1/jobs/${jobId}`, { token });
  expect(answer.status).toBe(200);
  return JobDetail.parse(answer.body);
}

describe('the client sync engine against the real server', () => {
  it('pulls exactly the agent’s jobs on the first sync', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const local = await agent.jobs.listJobs();
    const { token } = await server.login('dispatcher1');
    const users = (await server.api('/api/v1/users?role=agent', { token })).body as { users: { id: string; username: string }[] };
    const agent1 = users.users.find((user) => user.username === 'agent1');
    const remote = (await server.api(`/api/v1/jobs?assignedAgentId=${agent1?.id}`, { token })).body as { jobs: { id: string }[] };
    expect(local.map((job) => job.id).sort()).toEqual(remote.jobs.map((job) => job.id).sort());
    expect(local.length).toBeGreaterThan(0);
  });

  it('keeps a change whose request was lost and delivers it on the next sync', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const [job] = await agent.jobs.listJobs({ status: 'assigned' });
    if (!job) throw new Error('agent1 has no assigned job');
    await agent.jobs.addJobNote(job.id, 'Lost request, kept note');

    agent.faults.next = 'drop-request';
    await expect(agent.engine.syncOnce()).rejects.toBeInstanceOf(SyncError);
    expect(await agent.db.outbox.count()).toBe(1);

    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
    const detail = await serverDetail(job.id);
    expect(detail.notes.filter((note) => note.text === 'Lost request, kept note')).toHaveLength(1);
  });

  it('applies a change once when the server acted but its answer was lost', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const [job] = await agent.jobs.listJobs({ status: 'assigned' });
    if (!job) throw new Error('agent1 has no assigned job');
    await agent.jobs.changeJobStatus(job.id, 'en_route');
    await agent.jobs.addJobNote(job.id, 'Answer lost, applied once');

    agent.faults.next = 'drop-response';
    await expect(agent.engine.syncOnce()).rejects.toBeInstanceOf(SyncError);
    expect(await agent.db.outbox.count()).toBe(2);

    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
    const detail = await serverDetail(job.id);
    expect(detail.job.status).toBe('en_route');
    expect(detail.notes.filter((note) => note.text === 'Answer lost, applied once')).toHaveLength(1);
    expect(detail.statusChanges.filter((change) => change.to === 'en_route')).toHaveLength(1);
  });

  it('applies a change once when the same request arrives twice', async () => {
    const agent = await laptop('agent2');
    await agent.engine.syncOnce();
    const [job] = await agent.jobs.listJobs({ status: 'assigned' });
    if (!job) throw new Error('agent2 has no assigned job');
    await agent.jobs.addJobNote(job.id, 'Sent twice, stored once');

    agent.faults.next = 'duplicate-request';
    await agent.engine.syncOnce();
    const detail = await serverDetail(job.id);
    expect(detail.notes.filter((note) => note.text === 'Sent twice, stored once')).toHaveLength(1);
  });

  it('brings two laptops of the same agent to the same state', async () => {
    const first = await laptop('agent2');
    const second = await laptop('agent2');
    await first.engine.syncOnce();
    await second.engine.syncOnce();
    const [job] = await first.jobs.listJobs({ status: 'assigned' });
    if (!job) throw new Error('agent2 has no assigned job');
    await first.jobs.changeJobStatus(job.id, 'on_site');
    await first.jobs.addJobNote(job.id, 'Written on the first laptop');
    await second.jobs.addJobNote(job.id, 'Written on the second laptop');

    await first.engine.syncOnce();
    await second.engine.syncOnce();
    await first.engine.syncOnce();

    const one = await first.jobs.getJobDetail(job.id);
    const two = await second.jobs.getJobDetail(job.id);
    expect(one?.job.status).toBe('on_site');
    expect(two?.job.status).toBe('on_site');
    const texts = (detail: typeof one) => detail?.notes.map((note) => note.text).sort();
    expect(texts(one)).toEqual(texts(two));
    expect(texts(one)).toEqual(expect.arrayContaining(['Written on the first laptop', 'Written on the second laptop']));
  });
});
