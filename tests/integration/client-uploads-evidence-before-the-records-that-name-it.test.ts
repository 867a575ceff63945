import 'fake-indexeddb/auto';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { verifyChain } from '../../shared/custody/verify-chain';
import { newId } from '../../shared/ids';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { ensureDeviceId } from '../../renderer/db/device';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { DoorRepository } from '../../renderer/features/capture/door-repository';
import type { PreparedImage } from '../../renderer/features/capture/photo-pipeline';
import { CustodyRecorder } from '../../renderer/features/custody/custody-recorder';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { SyncError } from '../../renderer/sync/sync-error';
import { subtle } from '../fixtures/custody-chain';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function image(type: 'image/jpeg' | 'image/png', size: number): PreparedImage {
  const bytes = randomBytes(size);
  return { blob: new Blob([bytes], { type }), sha256: createHash('sha256').update(bytes).digest('hex'), width: 800, height: 600, thumbnail: null, capturedAt: null };
}

/** A laptop whose network can be cut, at the request level, for any request matching a path. */
async function laptop(username: string) {
  const db = new ReclaimDatabase(`door-${newId()}`);
  // Signed in as the app signs in: under this laptop's own device id, the one its key names.
  const answer = await server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, deviceId: await ensureDeviceId(db) } });
  const login = LoginResponse.parse(answer.body);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const network = { down: false, cutUploads: false };
  const cuttable: typeof fetch = async (input, init) => {
    const url = String(input);
    if (network.down || (network.cutUploads && url.includes('/blobs/'))) throw new TypeError('fetch failed');
    return fetch(input, init);
  };
  const getToken = async () => login.token;
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken, fetch: cuttable }));
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken, fetch: cuttable }), blobs });
  return { db, engine, blobs, network, login, door: new DoorRepository(db), custody: new CustodyRecorder(db, crypto.subtle) };
}


describe('door work done offline reaches the server intact', () => {
  it('uploads photos and signatures first, holds records until then, and the server verifies the chain', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const job = (await agent.db.jobs.toArray()).find((candidate) => candidate.items.length >= 2);
    if (!job) throw new Error('agent1 has a job with two items');
    const [first, second] = job.items;
    if (!first || !second) throw new Error('two items');
    const me = agent.login.user;

    agent.network.down = true;
    const visit = await agent.door.recordVisit({
      jobId: job.id, arrivedAt: new Date(), place: { lat: 41.9, lon: -87.6, accuracyM: 15 }, contactName: 'Dana', contactMethod: 'door', outcome: 'partial', notes: 'One box missing',
      contactHoursOverride: 'The customer asked us to come now.',
    });
    await agent.door.reconcileItem({ jobId: job.id, visitId: visit.id, itemId: first.id, status: 'recovered', grade: 'B', serialSeen: first.serial, serialConfirmedBy: 'scanner' });
    await agent.door.reconcileItem({ jobId: job.id, visitId: visit.id, itemId: second.id, status: 'missing', grade: null, serialSeen: null, serialConfirmedBy: 'not_confirmed' });
    const photo = await agent.door.addPhoto({ jobId: job.id, subject: 'serial_plate', subjectId: first.id, image: image('image/jpeg', 40_000), place: null });
    const signature = await agent.door.recordSignature({ jobId: job.id, signerName: 'Dana Customer', signerRole: 'customer', statement: `Handed over ${first.serial} to ${me.displayName}.`, image: image('image/png', 3000), place: null });
    const items = [{ itemId: first.id, serial: first.serial }];
    await agent.custody.record({ jobId: job.id, kind: 'collected', from: { role: 'customer', name: 'Dana Customer', userId: null }, to: { role: 'agent', name: me.displayName, userId: me.id }, items, place: null, photoHashes: [photo.sha256], signatureHashes: [signature.sha256] });
    const clerk = await agent.door.recordSignature({ jobId: job.id, signerName: 'Wes Clerk', signerRole: 'warehouse_clerk', statement: `Received ${first.serial} from ${me.displayName}.`, image: image('image/png', 2500), place: null });
    await agent.custody.record({ jobId: job.id, kind: 'received', from: { role: 'agent', name: me.displayName, userId: me.id }, to: { role: 'warehouse', name: 'Wes Clerk', userId: null }, items, place: null, photoHashes: [], signatureHashes: [clerk.sha256] });
    expect(await agent.blobs.progress()).toEqual({ itemsLeft: 3, bytesLeft: 45_500 });

    // The network is back for rows but photo uploads are cut: records naming them are held back.
    agent.network.down = false;
    agent.network.cutUploads = true;
    await expect(agent.engine.syncOnce()).rejects.toBeInstanceOf(SyncError);
    const held = await agent.db.outbox.toArray();
    expect(held.map((entry) => entry.entity).sort()).toEqual(['custodyEvent', 'custodyEvent', 'photo', 'signature', 'signature']);
    const files = await agent.db.blobs.toArray();
    expect(files.every((row) => row.state === 'waiting')).toBe(true);
    expect(files.some((row) => row.reason?.includes("Can't reach") && row.nextAttemptAt > Date.now())).toBe(true);

    agent.network.cutUploads = false;
    await agent.db.blobs.toCollection().modify({ nextAttemptAt: 0 });
    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
    expect(await agent.db.rejectedMutations.count()).toBe(0);
    expect(await agent.blobs.progress()).toEqual({ itemsLeft: 0, bytesLeft: 0 });

    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token: agent.login.token })).body);
    expect(record.verdict).toEqual({ intact: true, events: 2 });

    // A second laptop of the same agent pulls the same record and verifies it on its own.
    const other = await laptop('agent1');
    await other.engine.syncOnce();
    const events = (await other.db.custodyEvents.where('jobId').equals(job.id).toArray()).sort((a, b) => (a.at < b.at ? -1 : 1));
    expect(events.map((event) => event.kind)).toEqual(['collected', 'received']);
    expect(await other.db.photos.where('jobId').equals(job.id).count()).toBe(1);
    const keys = new Map(record.deviceKeys.map((key) => [key.id, key.publicKey]));
    expect(await verifyChain(subtle, events, (id) => keys.get(id) ?? null)).toEqual({ intact: true, events: 2 });
    expect((await other.db.custodyHeads.get(first.id))?.eventId).toBe(events[1]?.id);
  });
});
