import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import { verifyChain } from '../../shared/custody/verify-chain';
import type { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { custodyRecorder, makeDevice, subtle, type TestDevice } from '../fixtures/custody-chain';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/** The real server over real HTTP: door records and custody events pushed as the app pushes them. */
let server: TestServer;
let token: string;
let userId: string;
let device: TestDevice;
let job: Job;
const outbox = deviceOutbox('agent1-laptop');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const envelope = () => {
  const stamp = outbox.note(newId(), 'x', newId());
  return { id: stamp.id, deviceId: stamp.deviceId, clientTime: stamp.clientTime, hlc: stamp.hlc, op: 'create' as const };
};

/** Raw mutations, as any client might send them; the server validates each one. */
type Sent = { id: string } & Record<string, unknown>;

async function push(...mutations: Sent[]) {
  const answer = await server.api('/api/v1/sync/push', { token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent1-laptop', mutations } });
  expect(answer.status).toBe(200);
  return PushResponse.parse(answer.body).results;
}

async function upload(bytes: Uint8Array): Promise<string> {
  const hash = sha256(bytes);
  const answer = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token, body: new Uint8Array(bytes), headers: { 'content-type': 'image/png' } });
  expect([200, 201]).toContain(answer.status);
  return hash;
}

async function pullAll(as: string): Promise<PullResponse['changes']> {
  const answer = await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: as, protocol: true });
  return PullResponse.parse(answer.body).changes;
}

beforeAll(async () => {
  server = await startTestServer();
  const login = await server.login('agent1');
  token = login.token;
  userId = login.user.id;
  const jobs = (await pullAll(token)).flatMap((change) => (change.entity === 'job' ? [change.data] : []));
  const withTwoItems = jobs.find((candidate) => candidate.items.length >= 2 && candidate.reviewReason === null);
  if (!withTwoItems) throw new Error('the demo organisation gives agent1 a job with two items');
  job = withTwoItems;
  device = await makeDevice(userId, 'agent1-laptop');
  const [registered] = await push({ ...envelope(), entity: 'deviceKey', data: device.key });
  expect(registered?.outcome).toBe('applied');
});
afterAll(() => server.close());

describe('custody events on push', () => {
  it('accepts a full chain with photos and signatures, and a second laptop pulls a record that verifies', async () => {
    const [first, second] = job.items;
    if (!first || !second) throw new Error('two items');
    const visit = { id: newId(), jobId: job.id, arrivedAt: new Date().toISOString(), departedAt: null, place: null, contactName: 'Dana', contactMethod: 'door', outcome: 'partial', notes: '', overrides: [], byUserId: userId };
    const photoBytes = randomBytes(2000);
    const signatureBytes = randomBytes(900);

    // A photo whose bytes have not arrived yet waits (retryable), and is not remembered as refused.
    const photo = { id: newId(), jobId: job.id, subject: 'serial_plate', subjectId: first.id, sha256: sha256(photoBytes), mimeType: 'image/jpeg', bytes: photoBytes.length, width: 10, height: 10, capturedAt: new Date().toISOString(), recordedAt: new Date().toISOString(), place: null, byUserId: userId };
    const photoMutation = { ...envelope(), entity: 'photo', data: photo };
    expect((await push(photoMutation))[0]).toMatchObject({ outcome: 'rejected', code: 'blob_missing' });
    await upload(photoBytes);
    const signatureHash = await upload(signatureBytes);

    const recorder = custodyRecorder(device, job.id, userId);
    const items = [{ itemId: first.id, serial: first.serial }];
    const collected = await recorder.record('collected', items, { photoHashes: [photo.sha256], signatureHashes: [signatureHash] });
    const received = await recorder.record('received', items);
    const results = await push(
      { ...envelope(), entity: 'visit', data: visit },
      { ...envelope(), entity: 'itemReconciliation', data: { id: newId(), jobId: job.id, visitId: visit.id, itemId: first.id, status: 'recovered', grade: 'B', serialSeen: first.serial, serialConfirmedBy: 'scanner', accessoriesChecked: true, unexpected: null, note: '', overrides: [], at: new Date().toISOString(), byUserId: userId } },
      { ...envelope(), entity: 'itemReconciliation', data: { id: newId(), jobId: job.id, visitId: visit.id, itemId: second.id, status: 'missing', grade: null, serialSeen: null, serialConfirmedBy: 'not_confirmed', accessoriesChecked: false, unexpected: null, note: '', overrides: [], at: new Date().toISOString(), byUserId: userId } },
      photoMutation,
      { ...envelope(), entity: 'signature', data: { id: newId(), jobId: job.id, signerName: 'Dana Customer', signerRole: 'customer', statement: `I handed over ${first.serial} to the agent.`, sha256: signatureHash, mimeType: 'image/png', bytes: signatureBytes.length, signedAt: new Date().toISOString(), place: null, byUserId: userId } },
      { ...envelope(), entity: 'custodyEvent', data: collected },
      { ...envelope(), entity: 'custodyEvent', data: received },
    );
    expect(results.map((result) => [result.outcome, result.reason])).toEqual(results.map(() => ['applied', null]));

    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token })).body);
    expect(record.verdict).toEqual({ intact: true, events: 2 });

    // A second laptop (the office) pulls the events and verifies them itself with the registered keys.
    const office = (await server.login('dispatcher1')).token;
    const changes = await pullAll(office);
    const pulledEvents = changes.flatMap((change) => (change.entity === 'custodyEvent' && change.data.jobId === job.id ? [change.data] : []));
    expect(pulledEvents.map((event) => event.id)).toEqual([collected.id, received.id]);
    expect(changes.filter((change) => change.entity === 'photo' || change.entity === 'signature' || change.entity === 'visit')).toHaveLength(3);
    const keys = new Map(record.deviceKeys.map((key) => [key.id, key.publicKey]));
    expect(await verifyChain(subtle, pulledEvents, (id) => keys.get(id) ?? null)).toEqual({ intact: true, events: 2 });
  });

  it('refuses a tampered event with a reason, and a retry of it is refused the same way', async () => {
    const item = job.items[1];
    if (!item) throw new Error('two items');
    const genuine = await custodyRecorder(device, job.id, userId).record('collected', [{ itemId: item.id, serial: item.serial }]);
    const tampered: CustodyEvent = { ...genuine, to: { ...genuine.to, name: 'Somebody Else' } };
    const mutation = { ...envelope(), entity: 'custodyEvent', data: tampered };
    const [result] = await push(mutation);
    expect(result).toMatchObject({ outcome: 'rejected', code: 'custody_broken' });
    expect(result?.reason).toContain('changed after it was signed');
    expect((await push(mutation))[0]).toEqual(result);
  });

  it('refuses an event that skips its predecessor, and one signed with another key', async () => {
    const item = job.items[0];
    if (!item) throw new Error('item');
    // The item's chain already has two events; a fresh "collected" claiming to be first is a fork.
    const fork = await custodyRecorder(device, job.id, userId).record('collected', [{ itemId: item.id, serial: item.serial }]);
    expect((await push({ ...envelope(), entity: 'custodyEvent', data: fork }))[0]).toMatchObject({ outcome: 'rejected', code: 'custody_broken' });

    const impostor = await makeDevice(userId, 'agent1-laptop');
    const forged = await custodyRecorder({ key: device.key, privateKey: impostor.privateKey }, job.id, userId).record('collected', [{ itemId: newId(), serial: 'X-9' }]);
    const [result] = await push({ ...envelope(), entity: 'custodyEvent', data: forged });
    expect(result).toMatchObject({ outcome: 'rejected', code: 'custody_broken' });
    expect(result?.reason).toContain('signature');
  });

  it('refuses blob bytes that do not match their hash', async () => {
    const answer = await server.api(`/api/v1/blobs/${sha256(randomBytes(8))}`, { method: 'PUT', token, body: randomBytes(64), headers: { 'content-type': 'image/jpeg' } });
    expect(answer.status).toBe(422);
  });

  it('flags the job for review on an objection, and refuses items recovered at that visit', async () => {
    const item = job.items[0];
    if (!item) throw new Error('item');
    const visit = { id: newId(), jobId: job.id, arrivedAt: new Date().toISOString(), departedAt: null, place: null, contactName: null, contactMethod: 'door', outcome: 'refused_objection', notes: 'Customer told us to leave.', overrides: [], byUserId: userId };
    const recovered = { id: newId(), jobId: job.id, visitId: visit.id, itemId: item.id, status: 'recovered', grade: null, serialSeen: null, serialConfirmedBy: 'not_confirmed', accessoriesChecked: false, unexpected: null, note: '', overrides: [], at: new Date().toISOString(), byUserId: userId };
    const [flagged, refused] = await push({ ...envelope(), entity: 'visit', data: visit }, { ...envelope(), entity: 'itemReconciliation', data: recovered });
    expect(flagged).toMatchObject({ outcome: 'applied', code: 'flagged' });
    expect(refused).toMatchObject({ outcome: 'rejected', code: 'invalid' });
    const pulledJob = (await pullAll(token)).flatMap((change) => (change.entity === 'job' && change.data.id === job.id ? [change.data] : [])).at(-1);
    expect(pulledJob?.reviewReason).toContain('objected');
  });
});
