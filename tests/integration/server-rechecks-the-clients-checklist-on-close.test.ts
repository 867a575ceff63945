import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { CustodyRecord } from '../../server/custody/custody-routes';
import type { Job } from '../../shared/domain/job';
import type { ConditionGrade } from '../../shared/domain/evidence';
import { newId } from '../../shared/ids';
import { PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { custodyRecorder, makeDevice, type TestDevice } from '../fixtures/custody-chain';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * The app refuses to record a collection past the client's checklist without a reason, but the
 * server does not take the laptop's word for it: it holds the close to the evidence it holds.
 * Real server, real HTTP, pushes shaped as the app sends them.
 */
let server: TestServer;
let agentToken: string;
let officeToken: string;
let userId: string;
let device: TestDevice;
let jobs: Job[];
const outbox = deviceOutbox('agent1-laptop');
const requirements = { serialPlatePhotoPerRecoveredItem: true, customerSignature: true, conditionGradePerRecoveredItem: true, accessoriesChecked: false };

type Sent = { id: string } & Record<string, unknown>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const envelope = () => {
  const stamp = outbox.note(newId(), 'x', newId());
  return { id: stamp.id, deviceId: stamp.deviceId, clientTime: stamp.clientTime, hlc: stamp.hlc, op: 'create' as const };
};

async function push(...mutations: Sent[]) {
  const answer = await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent1-laptop', mutations } });
  expect(answer.status).toBe(200);
  return PushResponse.parse(answer.body).results;
}

async function detail(job: Job): Promise<JobDetail> {
  return JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: officeToken })).body);
}

async function upload(bytes: Uint8Array): Promise<string> {
  const hash = sha256(bytes);
  const answer = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token: agentToken, body: new Uint8Array(bytes), headers: { 'content-type': 'image/png' } });
  expect([200, 201]).toContain(answer.status);
  return hash;
}

const doors = new Map<string, ReturnType<typeof doorWork>>();

/** Door records for one job (one visit), each a mutation as the app's outbox holds it. */
function door(job: Job) {
  const known = doors.get(job.id) ?? doorWork(job);
  doors.set(job.id, known);
  return known;
}

function doorWork(job: Job) {
  const item = job.items[0];
  if (!item) throw new Error('a job has an item');
  const visitId = newId();
  const now = () => new Date().toISOString();
  return {
    item,
    visit: (): Sent => ({
      ...envelope(),
      entity: 'visit',
      data: { id: visitId, jobId: job.id, arrivedAt: now(), departedAt: null, place: null, contactName: 'Dana', contactMethod: 'door', outcome: 'recovered', notes: '', overrides: [], byUserId: userId },
    }),
    recovered: (grade: ConditionGrade | null): Sent => ({
      ...envelope(),
      entity: 'itemReconciliation',
      data: { id: newId(), jobId: job.id, visitId, itemId: item.id, status: 'recovered', grade, serialSeen: item.serial, serialConfirmedBy: 'scanner', accessoriesChecked: false, unexpected: null, note: '', overrides: [], at: now(), byUserId: userId },
    }),
    platePhoto: async (): Promise<{ mutation: Sent; sha256: string }> => {
      const bytes = randomBytes(1500);
      const hash = await upload(bytes);
      const data = { id: newId(), jobId: job.id, subject: 'serial_plate', subjectId: item.id, sha256: hash, mimeType: 'image/jpeg', bytes: bytes.length, width: 10, height: 10, capturedAt: now(), recordedAt: now(), place: null, byUserId: userId };
      return { mutation: { ...envelope(), entity: 'photo', data }, sha256: hash };
    },
    customerSignature: async (): Promise<{ mutation: Sent; sha256: string }> => {
      const bytes = randomBytes(900);
      const hash = await upload(bytes);
      const data = { id: newId(), jobId: job.id, signerName: 'Dana Customer', signerRole: 'customer', statement: `I handed over ${item.serial}.`, sha256: hash, mimeType: 'image/png', bytes: bytes.length, signedAt: now(), place: null, byUserId: userId };
      return { mutation: { ...envelope(), entity: 'signature', data }, sha256: hash };
    },
    collected: async (files: { photoHashes?: string[]; signatureHashes?: string[]; note?: string }): Promise<Sent> => {
      const event = await custodyRecorder(device, job.id, userId).record('collected', [{ itemId: item.id, serial: item.serial }], {
        photoHashes: files.photoHashes ?? [],
        signatureHashes: files.signatureHashes ?? [],
        note: files.note ?? '',
      });
      return { ...envelope(), entity: 'custodyEvent', data: event };
    },
    status: (from: Job['status'], to: Job['status'], reason: string | null = null): Sent => {
      const change = outbox.statusChange(job.id, from, to, userId);
      return { ...change, data: { ...change.data, reason } };
    },
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const login = await server.login('agent1');
  agentToken = login.token;
  userId = login.user.id;
  officeToken = (await server.login('dispatcher1')).token;
  const pulled = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: agentToken, protocol: true })).body);
  jobs = pulled.changes.flatMap((change) => (change.entity === 'job' && change.data.status === 'assigned' && change.data.reviewReason === null ? [change.data] : []));
  if (jobs.length < 4) throw new Error('the demo organisation gives agent1 four open jobs');
  for (const clientId of new Set(jobs.map((job) => job.clientId))) {
    const saved = await server.api(`/api/v1/clients/${clientId}/requirements`, { method: 'PUT', token: officeToken, json: requirements });
    expect(saved.status).toBe(200);
  }
  device = await makeDevice(userId, 'agent1-laptop');
  const [registered] = await push({ ...envelope(), entity: 'deviceKey', data: device.key });
  expect(registered?.outcome).toBe('applied');
});
afterAll(() => server.close());

function job(index: number): Job {
  const found = jobs[index];
  if (!found) throw new Error(`no job ${index}`);
  return found;
}

describe("the server holds a close to the client's checklist", () => {
  it('applies a close whose evidence arrived in an earlier batch, unflagged', async () => {
    const target = job(0);
    const work = door(target);
    const photo = await work.platePhoto();
    const signature = await work.customerSignature();
    const evidence = await push(work.status('assigned', 'on_site'), work.visit(), work.recovered('B'), photo.mutation, signature.mutation);
    expect(evidence.map((result) => result.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);

    const closing = await push(await work.collected({ photoHashes: [photo.sha256], signatureHashes: [signature.sha256] }), work.status('on_site', 'recovered'));
    expect(closing.map((result) => [result.outcome, result.code, result.reason])).toEqual([
      ['applied', null, null],
      ['applied', null, null],
    ]);
    const after = await detail(target);
    expect(after.job.status).toBe('recovered');
    expect(after.job.reviewReason).toBeNull();
    expect(after.notes).toEqual([]);
  });

  it('applies a close past unmet requirements with no reason, and flags the job naming what is missing', async () => {
    const target = job(1);
    const work = door(target);
    const signature = await work.customerSignature();
    // One batch: the evidence applied just before the close counts (here, the signature does).
    const results = await push(
      work.status('assigned', 'on_site'),
      work.visit(),
      work.recovered(null),
      signature.mutation,
      await work.collected({ signatureHashes: [signature.sha256] }),
      work.status('on_site', 'recovered'),
    );
    expect(results.map((result) => result.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    const [collection, recovery] = results.slice(4);
    expect(collection?.code).toBe('flagged');
    expect(collection?.reason).toContain("Closed without the client's requirements");
    expect(collection?.reason).toContain('1 recovered item without a serial-plate photo');
    expect(collection?.reason).toContain('1 recovered item not graded');
    expect(collection?.reason).not.toContain('signature');
    expect(recovery?.code).toBe('flagged');

    const after = await detail(target);
    expect(after.job.status).toBe('recovered');
    expect(after.job.reviewReason).toBe("Closed without the client's requirements: 1 recovered item without a serial-plate photo; 1 recovered item not graded; no reason was recorded.");
    const inbox = (await server.api('/api/v1/review-inbox', { token: officeToken })).body;
    expect(JSON.stringify(inbox)).toContain(target.id);
    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${target.id}/custody`, { token: officeToken })).body);
    expect(record.events.map((event) => event.kind)).toEqual(['collected']);
  });

  it('lifts that flag when the missing evidence reaches the server after the close', async () => {
    const target = job(1);
    const work = door(target);
    const photo = await work.platePhoto();
    const results = await push(photo.mutation, work.recovered('A'));
    expect(results.map((result) => [result.outcome, result.code])).toEqual([
      ['applied', null],
      ['applied', null],
    ]);
    expect((await detail(target)).job.reviewReason).toBeNull();
  });

  it('applies a close past unmet requirements with the override reason, and keeps the reason in the history', async () => {
    const target = job(2);
    const work = door(target);
    const signature = await work.customerSignature();
    const note = "Client requirements overridden. Missing: 1 recovered item without a serial-plate photo. Reason: The plate was painted over.";
    const results = await push(
      work.status('assigned', 'on_site'),
      work.visit(),
      work.recovered('C'),
      signature.mutation,
      await work.collected({ signatureHashes: [signature.sha256], note }),
      work.status('on_site', 'recovered'),
    );
    expect(results.map((result) => [result.outcome, result.code])).toEqual(results.map(() => ['applied', null]));

    const after = await detail(target);
    expect(after.job.status).toBe('recovered');
    expect(after.job.reviewReason).toBeNull();
    // Once in the job's notes for the dispatcher (not again for the status change), and signed into the event.
    expect(after.notes.map((kept) => kept.text)).toEqual([note]);
    expect(after.notes[0]?.byUserId).toBe(userId);
    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${target.id}/custody`, { token: officeToken })).body);
    expect(record.events[0]?.note).toBe(note);
  });

  it("takes a recovery's own reason as the override when no collection was recorded", async () => {
    const target = job(3);
    const work = door(target);
    const results = await push(work.status('assigned', 'on_site'), work.visit(), work.recovered('B'), work.status('on_site', 'recovered', 'Customer refused to sign; the van camera recorded the hand-over.'));
    expect(results.map((result) => [result.outcome, result.code])).toEqual(results.map(() => ['applied', null]));
    const after = await detail(target);
    expect(after.job.reviewReason).toBeNull();
    expect(after.notes.map((kept) => kept.text)).toEqual([
      "Client requirements overridden. Missing: 1 recovered item without a serial-plate photo; no customer signature yet. Reason: Customer refused to sign; the van camera recorded the hand-over.",
    ]);
    expect(after.statusChanges.at(-1)?.reason).toBe('Customer refused to sign; the van camera recorded the hand-over.');
  });
});
