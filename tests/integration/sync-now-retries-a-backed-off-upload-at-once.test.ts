import 'fake-indexeddb/auto';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { PullResponse } from '../../shared/sync/protocol';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { DoorRepository } from '../../renderer/features/capture/door-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue, backoffMs } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { SyncError } from '../../renderer/sync/sync-error';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/**
 * The real engine and blob queue (Dexie on fake-indexeddb) against the real server. Uploads can
 * be cut at the request level; the queue's clock stands still, so a file in back-off stays in it
 * for as long as the test needs, on any machine.
 */
it('a sync a person asks for sends a file waiting out its back-off at once, and then the record that names it', async () => {
  const db = new ReclaimDatabase(`sync-now-${newId()}`);
  const login = await server.login('agent1');
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const network = { cutUploads: false };
  const cuttable: typeof fetch = async (input, init) => {
    if (network.cutUploads && String(input).includes('/blobs/')) throw new TypeError('fetch failed');
    return fetch(input, init);
  };
  const getToken = async () => login.token;
  const clock = Date.parse('2026-03-02T10:00:00Z');
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken, fetch: cuttable }), () => clock);
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken, fetch: cuttable }), blobs });
  await engine.syncOnce();
  const job = (await db.jobs.toArray())[0];
  if (!job) throw new Error('agent1 has a job');

  const bytes = randomBytes(30_000);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const photo = await new DoorRepository(db).addPhoto({
    jobId: job.id,
    subject: 'job',
    subjectId: null,
    image: { blob: new Blob([bytes], { type: 'image/jpeg' }), sha256, width: 800, height: 600, thumbnail: null, capturedAt: null },
    place: null,
  });
  const onServer = async () => (await server.api(`/api/v1/blobs/${sha256}`, { token: login.token })).status;

  // The upload fails: the file waits out its back-off and its record stays on the laptop.
  network.cutUploads = true;
  await expect(engine.syncOnce()).rejects.toBeInstanceOf(SyncError);
  expect(await db.blobs.get(sha256)).toMatchObject({ state: 'waiting', attempts: 1, nextAttemptAt: clock + backoffMs(1) });

  // The connection is back. A round on the timer leaves the file to its back-off.
  network.cutUploads = false;
  await expect(engine.syncOnce()).rejects.toThrow(/1 record waits for photos or signatures to upload/);
  expect(await onServer()).toBe(404);
  expect((await db.outbox.toArray()).map((entry) => entry.id)).toHaveLength(1);

  // A person presses "Sync now": the file goes at once, then the photo's record.
  const report = await engine.syncOnce({ retryUploadsNow: true });
  expect(report.applied).toBe(1);
  expect(await onServer()).toBe(200);
  expect(await db.blobs.get(sha256)).toMatchObject({ state: 'uploaded', reason: null });
  expect(await db.outbox.count()).toBe(0);
  const pulled = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: login.token, protocol: true })).body);
  expect(pulled.changes.some((change) => change.entity === 'photo' && change.data.id === photo.id && change.data.sha256 === sha256)).toBe(true);
});
