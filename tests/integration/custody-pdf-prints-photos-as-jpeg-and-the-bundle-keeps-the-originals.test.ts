import { spawnSync } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_MAX_PIXELS } from '../../server/supervise/custody-pdf';
import { newId } from '../../shared/ids';
import { OrgSigningKeyInfo } from '../../shared/trust/org-key';
import { bundlePaths } from '../../shared/trust/custody-bundle';
import { verifySignedPdf } from '../../shared/trust/verify-signed-pdf';
import { PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { custodyRecorder, makeDevice } from '../fixtures/custody-chain';
import { rgbPng } from '../fixtures/png';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * A job whose custody record carries a large PNG photo (2,600 × 1,950, four coloured quarters):
 * the signed PDF prints it as a JPEG no larger than print resolution needs, the JPEG shows the
 * photo, and the bundle the PDF carries keeps the original file byte for byte.
 */
const QUARTERS = [
  [200, 40, 40],
  [40, 160, 60],
  [30, 60, 200],
  [230, 200, 40],
] as const;
const WIDTH = 2600;
const HEIGHT = 1950;
const photo = rgbPng(WIDTH, HEIGHT, (x, y) => QUARTERS[(y < HEIGHT / 2 ? 0 : 2) + (x < WIDTH / 2 ? 0 : 1)] ?? [0, 0, 0]);
const photoHash = createHash('sha256').update(photo).digest('hex');

let server: TestServer;
let pdf: Uint8Array;
let folder: string;

beforeAll(async () => {
  server = await startTestServer();
  folder = await mkdtemp(join(tmpdir(), 'reclaim-photo-pdf-'));
  const login = await server.login('agent1');
  const outbox = deviceOutbox('agent1-laptop');
  const push = async (entity: string, data: unknown) => {
    const stamp = outbox.note(newId(), 'x', newId());
    const mutation = { id: stamp.id, deviceId: stamp.deviceId, clientTime: stamp.clientTime, hlc: stamp.hlc, op: 'create' as const, entity, data };
    const answer = await server.api('/api/v1/sync/push', { token: login.token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'agent1-laptop', mutations: [mutation] } });
    const result = PushResponse.parse(answer.body).results[0];
    expect(result?.outcome, JSON.stringify(result)).toBe('applied');
  };
  const pulled = PullResponse.parse((await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: login.token, protocol: true })).body);
  const job = pulled.changes.flatMap((change) => (change.entity === 'job' && change.data.items.length > 0 ? [change.data] : []))[0];
  if (!job) throw new Error('the demo organisation gives agent1 a job with items');
  const device = await makeDevice(login.user.id, 'agent1-laptop');
  await push('deviceKey', device.key);
  const uploaded = await server.api(`/api/v1/blobs/${photoHash}`, { method: 'PUT', token: login.token, body: new Uint8Array(photo), headers: { 'content-type': 'image/png' } });
  expect([200, 201]).toContain(uploaded.status);
  const item = job.items[0];
  const event = await custodyRecorder(device, job.id, login.user.id).record('collected', [{ itemId: item?.id ?? '', serial: item?.serial ?? '' }], { photoHashes: [photoHash] });
  await push('custodyEvent', event);

  const supervisor = (await server.login('supervisor1')).token;
  const response = await fetch(`${server.url}/api/v1/custody/export/pdf?jobId=${job.id}`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(response.status).toBe(200);
  pdf = new Uint8Array(await response.arrayBuffer());
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function images(document: PDFDocument) {
  return document.context.enumerateIndirectObjects().flatMap(([, object]) => {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) return [];
    const number = (key: string) => (object.dict.get(PDFName.of(key)) as PDFNumber | undefined)?.asNumber() ?? 0;
    return [{ filter: object.dict.get(PDFName.of('Filter'))?.toString(), width: number('Width'), height: number('Height') }];
  });
}

describe('the signed PDF of a record with a large PNG photo', () => {
  it('prints the photo as a JPEG within print resolution, and no picture larger', async () => {
    const found = images(await PDFDocument.load(pdf, { updateMetadata: false }));
    const printed = found.filter((image) => Math.abs(image.width / image.height - WIDTH / HEIGHT) < 0.01 && image.width > 200);
    expect(printed).toEqual([{ filter: '/DCTDecode', width: PHOTO_MAX_PIXELS.width, height: Math.round((PHOTO_MAX_PIXELS.width * HEIGHT) / WIDTH) }]);
    for (const image of found) {
      expect(image.width).toBeLessThanOrEqual(PHOTO_MAX_PIXELS.width);
      expect(image.height).toBeLessThanOrEqual(PHOTO_MAX_PIXELS.height);
    }
  });

  it('carries the original photo, byte for byte, in the bundle it is signed with', async () => {
    const fingerprint = OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body).fingerprint;
    const verdict = await verifySignedPdf(webcrypto.subtle, pdf, [{ fingerprint, from: null, until: null }]);
    if (!verdict.ok) throw new Error(verdict.message);
    const original = unzipSync(verdict.bundle.bytes)[bundlePaths.evidence(photoHash)];
    expect(original && Buffer.from(original).equals(photo)).toBe(true);
  });

  const pdftoppm = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' });
  it.skipIf(pdftoppm.error !== undefined)('shows the photo on its appendix page when poppler draws it', async () => {
    const file = join(folder, 'report.pdf');
    await writeFile(file, pdf);
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
    // The appendix page is the last; at 72 dpi one pixel is one point, the photo 516 points wide below its heading.
    const ppm = spawnSync('pdftoppm', ['-r', '72', '-f', String(pages), '-l', String(pages), '-singlefile', file], { maxBuffer: 1 << 26 }).stdout;
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'));
    if (!header) throw new Error('pdftoppm did not draw the page');
    const pageWidth = Number(header[1]);
    const pixel = (x: number, y: number) => [...ppm.subarray(header[0].length + (y * pageWidth + x) * 3, header[0].length + (y * pageWidth + x) * 3 + 3)];
    const [left, top, width, height] = [48, 72, 516, Math.round((516 * HEIGHT) / WIDTH)];
    const centres = [
      [left + width / 4, top + height / 4],
      [left + (3 * width) / 4, top + height / 4],
      [left + width / 4, top + (3 * height) / 4],
      [left + (3 * width) / 4, top + (3 * height) / 4],
    ];
    centres.forEach(([x, y], quarter) => {
      const seen = pixel(Math.round(x ?? 0), Math.round(y ?? 0));
      seen.forEach((value, channel) => expect(Math.abs(value - (QUARTERS[quarter]?.[channel] ?? 0)), `quarter ${quarter}, channel ${channel}`).toBeLessThanOrEqual(12));
    });
  });
});
