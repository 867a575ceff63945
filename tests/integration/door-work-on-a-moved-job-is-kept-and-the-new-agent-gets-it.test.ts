import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { newId } from '../../shared/ids';
import { PullResponse } from '../../shared/sync/protocol';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { DoorRepository } from '../../renderer/features/capture/door-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { startTestServer, type TestServer } from './helpers/server';
import { moveJobConfirmed } from './helpers/confirmed-move';

/**
 * A visit is a physical fact: an agent who logged one offline on a job the dispatcher moved
 * meanwhile must not lose it. It is kept and the job flagged; whoever holds the job next
 * receives it with the rest of the job's history.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function laptop(username: string) {
  const db = new ReclaimDatabase(`moved-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const getToken = async () => login.token;
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken }));
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken }), blobs });
  return { db, engine, login, door: new DoorRepository(db) };
}

describe('door work on a job that moved while the agent was offline', () => {
  it('is kept, the job is flagged, and the next agent receives the visit', async () => {
    const agent1 = await laptop('agent1');
    await agent1.engine.syncOnce();
    const job = (await agent1.db.jobs.toArray()).find((candidate) => candidate.status === 'assigned');
    if (!job) throw new Error('agent1 needs an assigned job');

    const visit = await agent1.door.recordVisit({
      jobId: job.id,
      arrivedAt: new Date(),
      place: { lat: 41.9, lon: -87.65, accuracyM: 10 },
      contactName: null,
      contactMethod: 'notice_left',
      outcome: 'nobody_home',
      notes: 'Left a door hanger',
      contactHoursOverride: 'Testing at any hour',
    });

    const dispatcher = await server.login('dispatcher1');
    const agent2 = await laptop('agent2');
    const moved = await moveJobConfirmed(server, dispatcher.token, job.id, agent2.login.user.id);
    expect(moved.status).toBe(200);

    await agent1.engine.syncOnce();
    expect(await agent1.db.outbox.count()).toBe(0);

    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: dispatcher.token })).body);
    expect(detail.job.assignedAgentId).toBe(agent2.login.user.id);
    expect(detail.job.reviewReason).toMatch(/Work arrived for a job that moved: .* recorded a visit/);

    const pulled = PullResponse.parse(
      (await server.api('/api/v1/sync/pull?limit=1000', { token: agent2.login.token, protocol: true })).body,
    );
    const visitsForJob = pulled.changes.filter((change) => change.entity === 'visit' && change.data.jobId === job.id);
    expect(visitsForJob.map((change) => (change.entity === 'visit' ? change.data.id : null))).toEqual([visit.id]);
  });

  it('gives an agent who takes over a job its earlier door history', async () => {
    const agent1 = await laptop('agent1');
    await agent1.engine.syncOnce();
    const job = (await agent1.db.jobs.toArray()).find((candidate) => candidate.status === 'assigned');
    if (!job) throw new Error('agent1 needs another assigned job');
    const visit = await agent1.door.recordVisit({
      jobId: job.id,
      arrivedAt: new Date(),
      place: null,
      contactName: null,
      contactMethod: 'door',
      outcome: 'nobody_home',
      notes: '',
      contactHoursOverride: 'Testing at any hour',
    });
    await agent1.engine.syncOnce();

    const dispatcher = await server.login('dispatcher1');
    const agent3 = await laptop('agent3');
    await agent3.engine.syncOnce();
    expect((await moveJobConfirmed(server, dispatcher.token, job.id, agent3.login.user.id)).status).toBe(200);
    await agent3.engine.syncOnce();

    expect((await agent3.db.visits.where('jobId').equals(job.id).toArray()).map((row) => row.id)).toEqual([visit.id]);
    expect(await agent1.engine.syncOnce().then(() => agent1.db.jobs.get(job.id))).toBeUndefined();
  });
});
