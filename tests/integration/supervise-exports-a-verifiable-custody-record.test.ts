import { execFile } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
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
import { readBundleZipBytes } from '../../scripts/bundle-zip-reader';
import { BundleManifest, bundlePaths } from '../../shared/trust/custody-bundle';
import { OrgSigningKeyInfo } from '../../shared/trust/org-key';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { verifyCustodyReport } from '../../shared/trust/verify-report';
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
    // Times read in the job's zone with their UTC offset, as everywhere else; never bare ISO UTC.
    for (const event of events) expect(text).not.toContain(event.at);
    expect(text).toMatch(/Generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2}/);
    expect(text).toContain(`Final hash of the chain: ${events[3]?.hash}`);
    expect(text).toContain('Checked by the server at export: intact');
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Priya Raman (supervisor1)');
    expect(pages).toBeGreaterThanOrEqual(3); // the record plus one appendix page per photo
  });

  it('a PDF from the export route is signed, carries its bundle and verifies against the published fingerprint only', async () => {
    const pdf = await download(`/api/v1/custody/export/pdf?jobId=${job.id}`);
    const { fingerprint } = OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body);
    expect((await pdfText(pdf.bytes)).text).toContain(fingerprint);
    const verdict = await verifyCustodyReport(webcrypto.subtle, pdf.bytes, { fingerprint }, readBundleZipBytes);
    expect(verdict).toMatchObject({ status: 'intact', summary: { events: 4 } });
    const foreign = await verifyCustodyReport(webcrypto.subtle, pdf.bytes, { fingerprint: 'ab'.repeat(32) }, readBundleZipBytes);
    expect(foreign.status).toBe('tampered');
    const unpinned = await verifyCustodyReport(webcrypto.subtle, pdf.bytes, null, readBundleZipBytes);
    expect(unpinned.status).toBe('unpinned');
    const changed = new Uint8Array(pdf.bytes);
    const at = Math.max(Buffer.from(changed).indexOf('/Title'), 0);
    changed[at] = (changed[at] ?? 0) ^ 1;
    expect((await verifyCustodyReport(webcrypto.subtle, changed, { fingerprint }, readBundleZipBytes)).status).not.toBe('intact');
  });

  it('a CSV of the events, one row per event and item, with formulas neutralised', async () => {
    const csv = await download(`/api/v1/custody/export/csv?jobId=${job.id}`);
    expect(csv.status).toBe(200);
    const text = new TextDecoder().decode(csv.bytes);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^event_id,at,kind,job_id/);
    expect(lines).toHaveLength(1 + 4 * 3);
    // Each row also reads its time in the job's zone, with the UTC offset that makes it exact.
    expect(lines[0]).toMatch(/,hash,local_time$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    for (const item of job.items.slice(0, 3)) expect(text).toContain(item.serial);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });

  it('a bundle signed by the organisation that verifies with no server against its fingerprint, and says what one changed byte breaks', async () => {
    const bundle = await download(`/api/v1/custody/export/bundle?jobId=${job.id}`);
    expect(bundle.status).toBe(200);
    expect(bundle.type).toContain('application/zip');
    const { fingerprint } = OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body);
    const verdict = await verifyCustodyBundle(subtle, await readBundleZipBytes(bundle.bytes), { fingerprint });
    expect(verdict).toMatchObject({ status: 'intact', problem: null, summary: { organisation: { fingerprint }, events: 4 } });
    expect(verdict.summary.signers.map((signer) => signer.eventId)).toEqual(events.map((event) => event.id));
    expect(verdict.summary.signers[0]).toMatchObject({ userName: 'agent1', deviceId: 'agent1-laptop', role: 'agent' });
    expect(verdict.summary.jobs).toEqual([{ id: job.id, accountRef: job.accountRef, timeZone: job.timeZone }]);
    const files = new Map(Object.entries(unzipSync(bundle.bytes)));
    const manifest = BundleManifest.parse(JSON.parse(new TextDecoder().decode(files.get(bundlePaths.manifest))));
    for (const item of job.items.slice(0, 3)) expect(manifest.items.find((listed) => listed.itemId === item.id)?.head).toEqual({ events: 4, lastHash: events[3]?.hash });
    expect(manifest.generatedBy).toMatchObject({ name: 'Priya Raman (supervisor1)', role: 'supervisor' });
    expect(new TextDecoder().decode(files.get(bundlePaths.readme))).toContain(fingerprint);
    expect((await verifyCustodyBundle(subtle, await readBundleZipBytes(bundle.bytes), null)).status).toBe('unpinned');

    const photo = bundlePaths.evidence(sha256(photos[1] ?? Buffer.alloc(0)));
    const changed = new Uint8Array(files.get(photo) ?? []);
    const middle = Math.floor(changed.length / 2);
    changed[middle] = (changed[middle] ?? 0) ^ 1;
    const tampered = zipSync(Object.fromEntries(new Map(files).set(photo, changed)));
    expect((await verifyCustodyBundle(subtle, await readBundleZipBytes(tampered), { fingerprint })).problem).toMatchObject({ code: 'file_changed', file: photo });

    // The command line says the same, with its exit code.
    const dir = await mkdtemp(join(tmpdir(), 'reclaim-bundle-'));
    await writeFile(join(dir, 'good.zip'), bundle.bytes);
    await writeFile(join(dir, 'bad.zip'), tampered);
    const run = (...args: string[]) => promisify(execFile)('npx', ['tsx', 'scripts/verify-bundle.ts', ...args]).then((done) => ({ code: 0, stdout: done.stdout }), (error: { code: number; stdout: string }) => error);
    const good = await run(join(dir, 'good.zip'), '--org-key', fingerprint);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('INTACT: every check holds');
    const bad = await run(join(dir, 'bad.zip'), '--org-key', fingerprint);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`file:     ${photo}`);
    const unpinned = await run(join(dir, 'good.zip'));
    expect(unpinned.code).toBe(3);
    expect(unpinned.stdout).not.toContain('INTACT');
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
    const { fingerprint } = OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body);
    const verdict = await verifyCustodyBundle(subtle, await readBundleZipBytes(bundle.bytes), { fingerprint });
    expect(verdict).toMatchObject({ status: 'intact', summary: { events: 5 } });
    expect(verdict.summary.signers.at(-1)).toMatchObject({ kind: 'disposed', role: 'supervisor' });
    const { text } = await pdfText((await download(`/api/v1/custody/export/pdf?itemId=${item.id}`)).bytes);
    expect(text).toContain('Final disposition: destroyed');
    expect(text).toContain('Blancco Drive Eraser 7.9');
  });
});
