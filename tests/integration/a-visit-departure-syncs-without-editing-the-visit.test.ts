import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { DoorRepository } from '../../renderer/features/capture/door-repository';
import { DoorRuleError } from '../../renderer/features/capture/door-errors';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function laptop(username: string) {
  const db = new ReclaimDatabase(`departure-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const getToken = async () => login.token;
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken }), blobs: new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken })) });
  return { db, engine, door: new DoorRepository(db) };
}

it('a departure recorded after the visit synced reaches every laptop as the visit with its departure time', async () => {
  const first = await laptop('agent1');
  await first.engine.syncOnce();
  const job = (await first.db.jobs.toArray())[0];
  if (!job) throw new Error('agent1 has a job');
  const arrived = new Date(Date.now() - 20 * 60_000);
  const visit = await first.door.recordVisit({ jobId: job.id, arrivedAt: arrived, place: null, contactName: null, contactMethod: 'none', outcome: 'nobody_home', notes: '' });
  await first.engine.syncOnce();

  await expect(first.door.recordDeparture({ jobId: job.id, visitId: visit.id, departedAt: new Date(arrived.getTime() - 1000), place: null })).rejects.toBeInstanceOf(DoorRuleError);
  const left = new Date();
  await first.door.recordDeparture({ jobId: job.id, visitId: visit.id, departedAt: left, place: { lat: 41.88, lon: -87.63, accuracyM: 20 } });
  expect((await first.db.visits.get(visit.id))?.departedAt).toBe(left.toISOString());
  await expect(first.door.recordDeparture({ jobId: job.id, visitId: visit.id, departedAt: new Date(), place: null })).rejects.toThrow('already recorded');
  const report = await first.engine.syncOnce();
  expect(report.rejected).toBe(0);
  expect(await first.db.outbox.count()).toBe(0);

  const second = await laptop('agent1');
  await second.engine.syncOnce();
  const pulled = await second.db.visits.get(visit.id);
  expect(pulled?.departedAt).toBe(left.toISOString());
  expect(pulled?.arrivedAt).toBe(arrived.toISOString());
});
