import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientContactAnswer } from '../../shared/api/client-requirements';
import { JobReceipts } from '../../shared/api/receipts';
import type { CustomerReceipt } from '../../shared/domain/customer-receipt';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type Mutation } from '../../shared/sync/protocol';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { CustomerReceiptRepository } from '../../renderer/features/capture/customer-receipt-repository';
import { DoorRepository } from '../../renderer/features/capture/door-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The receipt an agent leaves at the door is made on the laptop, then kept with the job: its PDF
 * uploads as a blob, its record is pushed, and over real HTTP the office lists it and downloads
 * the same bytes, the agent's other laptop pulls it, and another agent can neither push one onto
 * the job nor read the PDF. A laptop speaking protocol 3 is never sent the new kind.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function laptop(username: string) {
  const db = new ReclaimDatabase(`receipt-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const getToken = async () => login.token;
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken }));
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken }), blobs });
  return { db, engine, login, door: new DoorRepository(db), receipts: new CustomerReceiptRepository(db, () => new Date(), 'en-US') };
}

async function assignedJob(db: ReclaimDatabase) {
  const job = (await db.jobs.toArray()).find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  if (!job) throw new Error('the demo agent needs an assigned job');
  return job;
}

async function fetchBlob(token: string, hash: string) {
  const response = await fetch(`${server.url}/api/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the customer receipt', () => {
  it('is made offline, synced with its PDF, listed and downloaded by the office, and pulled to the agent’s other laptop', async () => {
    const dispatcher = await server.login('dispatcher1');
    const first = await laptop('agent1');
    await first.engine.syncOnce();
    const job = await assignedJob(first.db);

    // The dispatcher sets the client's contact line; the laptop gets it with the job at its next sync.
    const contact = { phone: '312 555 0100', email: 'returns@client.example', address: '1 Main St, Chicago IL' };
    const saved = await server.api(`/api/v1/clients/${job.clientId}/contact`, { method: 'PUT', token: dispatcher.token, json: contact });
    expect(saved.status).toBe(200);
    expect(ClientContactAnswer.parse(saved.body).contact).toEqual(contact);
    await first.engine.syncOnce();
    expect((await first.db.jobs.get(job.id))?.clientContact).toEqual(contact);

    const visit = await first.door.recordVisit({ jobId: job.id, arrivedAt: new Date(), place: null, contactName: 'The customer', contactMethod: 'none', outcome: 'recovered', notes: '' });
    const made = await first.receipts.makeReceipt(job.id, visit.id, first.login.user.displayName);
    expect(made.receipt.content.sections.flatMap((section) => section.lines)).toContain('Phone 312 555 0100 · returns@client.example · 1 Main St, Chicago IL');
    expect(await first.db.blobs.get(made.receipt.sha256)).toMatchObject({ state: 'waiting', mimeType: 'application/pdf' });

    await first.engine.syncOnce();
    expect(await first.db.outbox.count()).toBe(0);
    expect(await first.db.blobs.get(made.receipt.sha256)).toMatchObject({ state: 'uploaded' });

    const listed = await server.api(`/api/v1/jobs/${job.id}/receipts`, { token: dispatcher.token });
    expect(listed.status).toBe(200);
    const receipts = JobReceipts.parse(listed.body).receipts;
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toEqual({ receipt: { ...made.receipt }, madeBy: first.login.user.displayName });

    const pdf = new Uint8Array(await made.pdf.arrayBuffer());
    for (const office of ['dispatcher1', 'supervisor1']) {
      const download = await fetchBlob((await server.login(office)).token, made.receipt.sha256);
      expect(download.status).toBe(200);
      expect(sha256(download.bytes)).toBe(made.receipt.sha256);
      expect(Buffer.from(download.bytes).equals(Buffer.from(pdf))).toBe(true);
      expect(Buffer.from(download.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    }

    const second = await laptop('agent1');
    await second.engine.syncOnce();
    expect(await second.db.customerReceipts.get(made.receipt.id)).toEqual(made.receipt);
    expect((await fetchBlob(second.login.token, made.receipt.sha256)).status).toBe(200);

    // The office's own pull carries it too, at protocol 4; a protocol-3 app never sees the kind.
    const kinds = async (protocol: string) => {
      const answer = await server.api('/api/v1/sync/pull?limit=1000', { token: dispatcher.token, protocol });
      expect(answer.status).toBe(200);
      return PullResponse.parse(answer.body).changes.filter((change) => change.entity === 'customerReceipt').length;
    };
    expect(await kinds(String(PROTOCOL_VERSION))).toBeGreaterThan(0);
    expect(await kinds('3')).toBe(0);
  });

  it('is refused to other agents: no PDF, no list, and no receipt pushed onto a job that is not theirs', async () => {
    const owner = await laptop('agent1');
    await owner.engine.syncOnce();
    const job = await assignedJob(owner.db);
    const visit = await owner.door.recordVisit({ jobId: job.id, arrivedAt: new Date(), place: null, contactName: null, contactMethod: 'none', outcome: 'recovered', notes: '' });
    const made = await owner.receipts.makeReceipt(job.id, visit.id, owner.login.user.displayName);
    await owner.engine.syncOnce();
    expect(await owner.db.outbox.count()).toBe(0);

    const intruder = await server.login('agent3');
    expect((await fetchBlob(intruder.token, made.receipt.sha256)).status).toBe(404);
    expect((await server.api(`/api/v1/jobs/${job.id}/receipts`, { token: intruder.token })).status).toBe(404);

    // agent3 sends a receipt of their own bytes for agent1's job and visit: refused, and nothing is kept.
    const bytes = new TextEncoder().encode('%PDF-1.7 not a receipt of this job');
    const hash = sha256(bytes);
    const put = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token: intruder.token, body: bytes, headers: { 'content-type': 'application/pdf' } });
    expect(put.status).toBe(201);
    const forged: CustomerReceipt = { ...made.receipt, id: newId(), sha256: hash, bytes: bytes.byteLength, byUserId: intruder.user.id };
    const clock = new HybridLogicalClock('agent3-laptop');
    const mutation: Mutation = { id: newId(), deviceId: 'agent3-laptop', clientTime: new Date().toISOString(), hlc: clock.now(), entity: 'customerReceipt', op: 'create', data: forged };
    const pushed = await server.api('/api/v1/sync/push', { token: intruder.token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent3-laptop', mutations: [mutation] } });
    expect(pushed.status).toBe(200);
    expect(PushResponse.parse(pushed.body).results[0]).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    const dispatcher = await server.login('dispatcher1');
    const listed = JobReceipts.parse((await server.api(`/api/v1/jobs/${job.id}/receipts`, { token: dispatcher.token })).body);
    expect(listed.receipts.map((entry) => entry.receipt.id)).not.toContain(forged.id);
    // Nor may the owner attach the receipt to a visit of another job.
    const other = (await owner.db.jobs.toArray()).find((candidate) => candidate.id !== job.id);
    if (!other) throw new Error('the demo agent needs two jobs');
    const misplaced = { ...mutation, id: newId(), deviceId: 'agent1-laptop', data: { ...made.receipt, id: newId(), jobId: other.id } };
    const answer = await server.api('/api/v1/sync/push', { token: owner.login.token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent1-laptop', mutations: [misplaced] } });
    expect(PushResponse.parse(answer.body).results[0]).toMatchObject({ outcome: 'rejected', code: 'not_found' });
  });

  it('lets only the dispatching office set a client’s contact line', async () => {
    const agent = await server.login('agent1');
    const supervisor = await server.login('supervisor1');
    const dispatcher = await server.login('dispatcher1');
    const jobs = (await server.api('/api/v1/jobs?limit=1', { token: dispatcher.token })).body as { jobs: { clientId: string }[] };
    const clientId = jobs.jobs[0]?.clientId;
    if (!clientId) throw new Error('a client');
    const line = { phone: '800 555 0199', email: null, address: null };
    expect((await server.api(`/api/v1/clients/${clientId}/contact`, { method: 'PUT', token: agent.token, json: line })).status).toBe(403);
    expect((await server.api(`/api/v1/clients/${clientId}/contact`, { method: 'PUT', token: supervisor.token, json: line })).status).toBe(403);
    expect((await server.api(`/api/v1/clients/${clientId}/contact`, { method: 'PUT', token: dispatcher.token, json: { ...line, email: 'not an email' } })).status).toBe(400);
    expect((await server.api(`/api/v1/clients/${clientId}/contact`, { method: 'PUT', token: dispatcher.token, json: { ...line, address: '  ' } })).status).toBe(200);
    const read = ClientContactAnswer.parse((await server.api(`/api/v1/clients/${clientId}/contact`, { token: agent.token })).body);
    expect(read.contact).toEqual({ phone: '800 555 0199', email: null, address: null });
  });
});
