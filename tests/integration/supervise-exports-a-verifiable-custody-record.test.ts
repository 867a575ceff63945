import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import type { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { BundleManifest, bundlePaths, verifyBundle } from '../../shared/supervise/custody-bundle';
import { AuditSearchResult, CustodySearchResult, ItemTimeline } from '../../shared/supervise/supervise-api';
import { PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { custodyRecorder, makeDevice, subtle } from '../fixtures/custody-chain';
import { pdfText } from '../fixtures/pdf-text';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * A job with three items and a four-event chain, pushed as the app pushes it, exported by a
 * supervisor as PDF, CSV and bundle; the bundle verifies with no server, and one changed byte
 * anywhere names the event it breaks.
 */
let server: TestServer;
let supervisor: string;
let agentToken: string;
let job: Job;
let events: CustodyEvent[];
const photos: Buffer[] = [];
const signatures: Buffer[] = [];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const outbox = deviceOutbox('agent1-laptop');
const envelope = () => {
  const stamp = outbox.note(newId(), 'x', newId());
  return { id: stamp.id, deviceId: stamp.deviceId, clientTime: stamp.clientTime, hlc: stamp.hlc, op: 'create' as const };
};

async function push(entity: string, data: unknown) {
  const answer = await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent1-laptop', mutations: [{ ...envelope(), entity, data }] } });
  expect(PushResponse.parse(answer.body).results[0]?.outcome).toBe('applied');
}

async function upload(bytes: Buffer): Promise<string> {
  const hash = sha256(bytes);
  const answer = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token: agentToken, body: new Uint8Array(bytes), headers: { 'content-type': 'image/png' } });
  expect([200, 201]).toContain(answer.status);
  return hash;
}

async function download(path: string, token = supervisor): Promise<{ status: number; type: string; bytes: Uint8Array }> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: new Uint8Array(await response.arrayBuffer()) };
}

beforeAll(async () => {
  server = await startTestServer();
  supervisor = (await server.login('supervisor1')).token;
  const login = await server.login('agent1');
  agentToken = login.token;
  const userId = login.user.id;
  const pulled = await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: agentToken, protocol: true });
  const jobs = PullResponse.parse(pulled.body).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
  const withThree = jobs.find((candidate) => candidate.items.length >= 3);
  if (!withThree) throw new Error('the demo organisation gives agent1 a job with three items');
  job = withThree;
  const device = await makeDevice(userId, 'agent1-laptop');
  await push('deviceKey', device.key);

  for (const text of ['photo of the serial plates', 'photo of the boxes']) photos.push(await QRCode.toBuffer(text, { type: 'png', width: 240 }));
  for (const text of ['customer signature', 'warehouse clerk signature']) signatures.push(await QRCode.toBuffer(text, { type: 'png', width: 160 }));
  const photoHashes = await Promise.all(photos.map(upload));
  const signatureHashes = await Promise.all(signatures.map(upload));

  const items = job.items.slice(0, 3).map((item) => ({ itemId: item.id, serial: item.serial }));
  const recorder = custodyRecorder(device, job.id, userId);
  events = [
    await recorder.record('collected', items, { photoHashes, signatureHashes: [signatureHashes[0] ?? ''] }),
    await recorder.record('sealed', items, { sealNumber: 'SEAL-000417', note: '=HYPERLINK("http://evil.example")' }),
    await recorder.record('transferred', items, { to: { role: 'carrier', name: 'Lakeside Couriers', userId: null } }),
    await recorder.record('received', items, { signatureHashes: [signatureHashes[1] ?? ''] }),
  ];
  for (const event of events) await push('custodyEvent', event);
});
afterAll(() => server.close());

describe('supervisors find a custody record', () => {
  it('finds the items by serial, and shows a timeline with the verdict', async () => {
    const serial = job.items[1]?.serial ?? '';
    const found = CustodySearchResult.parse((await server.api(`/api/v1/custody/search?serial=${encodeURIComponent(serial.toLowerCase())}`, { token: supervisor })).body);
    expect(found.hits.map((hit) => hit.serial)).toContain(serial);
    const hit = found.hits.find((candidate) => candidate.serial === serial);
    expect(hit).toMatchObject({ jobId: job.id, events: 4, lastEventKind: 'received', clientName: job.clientName });

    const byJob = CustodySearchResult.parse((await server.api(`/api/v1/custody/search?jobId=${job.id}`, { token: supervisor })).body);
    expect(byJob.total).toBe(3);
    const byClient = CustodySearchResult.parse((await server.api(`/api/v1/custody/search?client=${encodeURIComponent(job.clientName.slice(0, 6))}&from=2000-01-01T00:00:00Z`, { token: supervisor })).body);
    expect(byClient.hits.some((candidate) => candidate.jobId === job.id)).toBe(true);

    const timeline = ItemTimeline.parse((await server.api(`/api/v1/custody/items/${hit?.itemId}`, { token: supervisor })).body);
    expect(timeline.events.map((event) => event.kind)).toEqual(['collected', 'sealed', 'transferred', 'received']);
    expect(timeline.verdict).toEqual({ intact: true, events: 4, finalHash: events[3]?.hash });
  });

  it('refuses everyone but supervisors and admins', async () => {
    const dispatcher = (await server.login('dispatcher1')).token;
    const admin = (await server.login('admin')).token;
    const paths = ['/api/v1/custody/search?serial=x', `/api/v1/custody/items/${job.items[0]?.id}`, `/api/v1/custody/export/bundle?jobId=${job.id}`, `/api/v1/custody/export/pdf?jobId=${job.id}`, '/api/v1/custody/export/csv', '/api/v1/audit', '/api/v1/supervise/dashboard'];
    for (const path of paths) {
      expect((await server.api(path, { token: agentToken })).status, path).toBe(403);
      expect((await server.api(path, { token: dispatcher })).status, path).toBe(403);
      expect((await server.api(path)).status, path).toBe(401);
    }
    expect((await server.api('/api/v1/custody/search?serial=x', { token: admin })).status).toBe(200);
  });
});

describe('exports', () => {
  it('a PDF with the serials, every event hash, the final hash and page numbers', async () => {
    const pdf = await download(`/api/v1/custody/export/pdf?jobId=${job.id}`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toContain('application/pdf');
    const { text, pages } = await pdfText(pdf.bytes);
    for (const item of job.items.slice(0, 3)) expect(text).toContain(item.serial);
    for (const event of events) expect(text).toContain(event.hash);
    expect(text).toContain(`Final hash of the chain: ${events[3]?.hash}`);
    expect(text).toContain('Verification: INTACT');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Priya Raman (supervisor1)');
    expect(pages).toBeGreaterThanOrEqual(3); // the record plus one appendix page per photo
  });

  it('a CSV of the events, one row per event and item, with formulas neutralised', async () => {
    const csv = await download(`/api/v1/custody/export/csv?jobId=${job.id}`);
    expect(csv.status).toBe(200);
    const text = new TextDecoder().decode(csv.bytes);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^event_id,at,kind,job_id/);
    expect(lines).toHaveLength(1 + 4 * 3);
    for (const item of job.items.slice(0, 3)) expect(text).toContain(item.serial);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it('a bundle that verifies with no server, and names the event one changed byte breaks', async () => {
    const bundle = await download(`/api/v1/custody/export/bundle?jobId=${job.id}`);
    expect(bundle.status).toBe(200);
    expect(bundle.type).toContain('application/zip');
    const files = new Map(Object.entries(unzipSync(bundle.bytes)));
    const manifest = BundleManifest.parse(JSON.parse(new TextDecoder().decode(files.get(bundlePaths.manifest))));
    expect(manifest).toMatchObject({ events: 4, finalHash: events[3]?.hash, jobIds: [job.id] });
    expect(new TextDecoder().decode(files.get(bundlePaths.readme))).toContain('RFC 8785');
    expect(await verifyBundle(subtle, files)).toEqual({ intact: true, events: 4, finalHash: events[3]?.hash });

    const tampered = (path: string, at: (bytes: Uint8Array) => number) => {
      const copy = new Map(files);
      const bytes = new Uint8Array(files.get(path) ?? []);
      const offset = at(bytes);
      bytes[offset] = bytes[offset] === 0x61 ? 0x62 : 0x61; // a hex digit becomes another one
      copy.set(path, bytes);
      return copy;
    };
    const eventsText = new TextDecoder().decode(files.get(bundlePaths.events));
    for (const [index, event] of events.entries()) {
      // One hex digit of this event's own hash, inside valid JSON.
      const copy = tampered(bundlePaths.events, () => new TextEncoder().encode(eventsText.slice(0, eventsText.indexOf(`"hash": "${event.hash}"`) + 12)).length);
      expect(await verifyBundle(subtle, copy)).toMatchObject({ intact: false, eventNumber: index + 1, eventId: event.id, problem: 'hash' });
    }
    const noteAt = new TextEncoder().encode(eventsText.slice(0, eventsText.indexOf('SEAL-000417') + 5)).length;
    expect(await verifyBundle(subtle, tampered(bundlePaths.events, () => noteAt))).toMatchObject({ intact: false, eventNumber: 2, problem: 'hash' });
    const middle = (bytes: Uint8Array) => Math.floor(bytes.length / 2);
    expect(await verifyBundle(subtle, tampered(bundlePaths.blob(sha256(photos[1] ?? Buffer.alloc(0))), middle))).toMatchObject({ intact: false, eventNumber: 1, problem: 'evidence_changed' });
    expect(await verifyBundle(subtle, tampered(bundlePaths.blob(sha256(signatures[1] ?? Buffer.alloc(0))), middle))).toMatchObject({ intact: false, eventNumber: 4, problem: 'evidence_changed' });
    const withoutThird = JSON.stringify((JSON.parse(eventsText) as unknown[]).filter((_, index) => index !== 2));
    const removed = new Map(files).set(bundlePaths.events, new TextEncoder().encode(withoutThird));
    expect(await verifyBundle(subtle, removed)).toMatchObject({ intact: false, eventNumber: 3, problem: 'chain' });

    // The command line says the same, with its exit code.
    const dir = await mkdtemp(join(tmpdir(), 'reclaim-bundle-'));
    await writeFile(join(dir, 'good.zip'), bundle.bytes);
    await writeFile(join(dir, 'bad.zip'), zipSync(Object.fromEntries(tampered(bundlePaths.blob(sha256(photos[0] ?? Buffer.alloc(0))), middle))));
    const run = promisify(execFile);
    const good = await run('npx', ['tsx', 'scripts/verify-bundle.ts', join(dir, 'good.zip')]);
    expect(good.stdout).toContain('INTACT: 4 events');
    const bad = await run('npx', ['tsx', 'scripts/verify-bundle.ts', join(dir, 'bad.zip')]).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('BROKEN at event 1 (evidence_changed)');
  }, 60_000);
});

describe('the audit log', () => {
  it('records every write with who, role, device and address, for supervisors to search', async () => {
    const log = AuditSearchResult.parse((await server.api('/api/v1/audit?limit=500', { token: supervisor })).body);
    const pushes = log.entries.filter((entry) => entry.route === '/api/v1/sync/push' && entry.username === 'agent1');
    expect(pushes.length).toBeGreaterThanOrEqual(5);
    expect(pushes[0]).toMatchObject({ method: 'POST', role: 'agent', deviceId: 'agent1-laptop', status: 200, address: expect.stringMatching(/127\.0\.0\.1/) });
    expect(log.entries.some((entry) => entry.route === '/api/v1/blobs/:sha256' && entry.method === 'PUT')).toBe(true);
    expect(log.entries.some((entry) => entry.route === '/api/v1/custody/export/pdf' && entry.username === 'supervisor1' && entry.status === 200)).toBe(true);
    const csv = await download('/api/v1/audit/export.csv');
    expect(new TextDecoder().decode(csv.bytes)).toMatch(/^at,username,role/);
  });
});

describe('final disposition', () => {
  const certificate = {
    performedBy: { name: 'Ana Ruiz', title: 'Technician', organization: 'Reclaim warehouse', location: 'Chicago', phone: '(312) 555-0142' },
    media: { type: 'SSD', serial: 'S4EVNX0N123456', propertyNumber: '', source: 'the recovered device', classification: 'customer data', dataBackedUp: 'no' },
    sanitization: { method: 'purge', technique: 'crypto erase', tool: 'Blancco Drive Eraser 7.9', verification: 'full', postConfidentiality: 'none', destination: 'recycler', notes: '' },
    validatedBy: { name: 'Priya Raman', title: 'Supervisor', organization: 'Reclaim', location: 'Chicago', phone: '', date: '2026-11-23' },
  };

  it('is the chain’s last signed event, carries the sanitization certificate, and the record still verifies', async () => {
    const item = job.items[0];
    if (!item) throw new Error('an item');
    const path = `/api/v1/custody/items/${item.id}/disposition`;
    expect((await server.api(path, { token: agentToken, json: { disposition: 'destroyed', toName: 'Metro Recycling' } })).status).toBe(403);
    const laptopLike = ['laptop', 'desktop', 'phone', 'tablet', 'copier', 'printer', 'medical_device'].includes(item.type);
    if (laptopLike) {
      const refused = await server.api(path, { token: supervisor, json: { disposition: 'destroyed', toName: 'Metro Recycling' } });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('NIST SP 800-88');
    }
    const answer = await server.api(path, { token: supervisor, json: { disposition: 'destroyed', toName: 'Metro Recycling', certificate } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ kind: 'disposed', items: [{ itemId: item.id, previousEventHash: events[3]?.hash }] });
    expect((await server.api(path, { token: supervisor, json: { disposition: 'recycled', toName: 'Again' } })).status).toBe(409);

    const timeline = ItemTimeline.parse((await server.api(`/api/v1/custody/items/${item.id}`, { token: supervisor })).body);
    expect(timeline.events.map((event) => event.kind)).toEqual(['collected', 'sealed', 'transferred', 'received', 'disposed']);
    expect(timeline.verdict).toMatchObject({ intact: true, events: 5 });
    const bundle = await download(`/api/v1/custody/export/bundle?jobId=${job.id}`);
    expect(await verifyBundle(subtle, new Map(Object.entries(unzipSync(bundle.bytes))))).toMatchObject({ intact: true, events: 5 });
    const { text } = await pdfText((await download(`/api/v1/custody/export/pdf?itemId=${item.id}`)).bytes);
    expect(text).toContain('Final disposition: destroyed');
    expect(text).toContain('Blancco Drive Eraser 7.9');
  });
});
