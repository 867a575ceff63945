/**
 * Custody exports at scale, over real HTTP on a real SQLite file:
 *  - CSV of 100,000 custody events (one row per event and item), streamed: time and peak memory;
 *    then the same with a job filter that picks most jobs;
 *  - the PDF of one job with 50 photos (1024×768 PNGs) in its record: time, size, peak memory.
 * Writes tests/bench/results/custody-export.json; asserts nothing about time.
 */
import { createHash, webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CUSTODY_SCHEME, type CustodyEvent, type CustodyEventContent } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { folderBlobStore } from '../../server/blobs/blob-store';
import { custodyRepository } from '../../server/custody/custody-repository';
import { startServer } from '../../server/main';
import { createDatabase } from '../../server/store/database';
import { makeDevice } from '../fixtures/custody-chain';
import { rgbPng } from '../fixtures/png';

const EVENTS = Number(process.env.RECLAIM_BENCH_EVENTS ?? 100_000);
const PHOTOS = 50;

/** Samples the process's memory while `work` runs: the server runs in this process too. */
/**
 * Wall time, and the CPU time this process spent (user + system): on a machine shared with other
 * work, wall time swings with the load while CPU time says what the export itself cost.
 */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number; peakRssMb: number; peakHeapMb: number; rssGrowthMb: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peakRss = baseline;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 20);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuBefore);
  const ms = performance.now() - started;
  clearInterval(timer);
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { result, ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: mb(peakRss), peakHeapMb: mb(peakHeap), rssGrowthMb: mb(peakRss - baseline) };
}

/** A 1024×768 RGB PNG with noise, so it compresses like a photo rather than like a flat colour. */
function photoPng(seed: number): Buffer {
  let state = seed * 2654435761;
  return rgbPng(1024, 768, (x, y) => {
    state = (state * 1103515245 + 12345) >>> 0;
    const noise = state >>> 27;
    return [(x / 4 + noise) & 0xff, (y / 3 + noise) & 0xff, ((x + y) / 8 + seed * 20) & 0xff];
  });
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-bench-custody-'));
  const seeded = await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true });
  await seeded.close();

  // Events are written straight into the store (the sync path is measured elsewhere); each is
  // really hashed and signed, three items each, spread over the demo's jobs and a year.
  const store = await createDatabase({ kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
  const { db } = store;
  const supervisorId = (await db.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow()).id;
  const jobIds = (await db.selectFrom('jobs').select('id').execute()).map((row) => row.id);
  const device = await makeDevice(supervisorId, 'bench-laptop');
  const custody = custodyRepository(db);
  await custody.addDeviceKey(device.key, new Date().toISOString());
  const clock = new HybridLogicalClock('bench');
  const start = Date.parse('2025-01-01T00:00:00Z');
  const seeding = performance.now();
  for (let batch = 0; batch < EVENTS; batch += 2000) {
    const events: CustodyEvent[] = [];
    for (let index = batch; index < Math.min(EVENTS, batch + 2000); index += 1) {
      const content: CustodyEventContent = {
        scheme: CUSTODY_SCHEME, id: newId(), jobId: jobIds[1 + (index % (jobIds.length - 1))] ?? '', kind: 'collected', at: new Date(start + index * 300_000).toISOString(),
        place: { lat: 41.88, lon: -87.63, accuracyM: 10 }, from: { role: 'customer', name: `Customer ${index}`, userId: null }, to: { role: 'agent', name: 'Marcus Bell', userId: supervisorId },
        items: [0, 1, 2].map((n) => ({ itemId: newId(), serial: `SN${index}-${n}`, previousEventHash: null })),
        sealNumber: null, photoHashes: [], signatureHashes: [], correctsEventId: null, note: index % 97 === 0 ? '=SUM(A1:A9)' : '', deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: supervisorId,
      };
      events.push(await sealCustodyEvent(webcrypto.subtle, device.privateKey, content));
    }
    await db.transaction().execute(async (trx) => {
      const inTrx = custodyRepository(trx);
      for (const event of events) await inTrx.append(event, clock.now(), event.at);
    });
  }
  const seedMs = Math.round(performance.now() - seeding);

  // One job whose record carries 50 photos.
  const blobs = folderBlobStore(join(dataDir, 'blobs'));
  const photoHashes: string[] = [];
  let photoBytes = 0;
  for (let index = 0; index < PHOTOS; index += 1) {
    const png = photoPng(index + 1);
    const hash = createHash('sha256').update(png).digest('hex');
    await blobs.put(hash, Readable.from([png]));
    photoHashes.push(hash);
    photoBytes += png.length;
  }
  const photoJob = jobIds[0] ?? '';
  const photoEvent = await sealCustodyEvent(webcrypto.subtle, device.privateKey, {
    scheme: CUSTODY_SCHEME, id: newId(), jobId: photoJob, kind: 'collected', at: new Date().toISOString(), place: null,
    from: { role: 'customer', name: 'Photo Customer', userId: null }, to: { role: 'agent', name: 'Marcus Bell', userId: supervisorId },
    items: [{ itemId: newId(), serial: 'PHOTO-50', previousEventHash: null }], sealNumber: null, photoHashes, signatureHashes: [], correctsEventId: null,
    note: '', deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: supervisorId,
  });
  await custody.append(photoEvent, clock.now(), photoEvent.at);
  await store.close();

  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir });
  const figures: Record<string, unknown>[] = [];
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor1', password: 'demo1234' }) });
    const { token } = (await login.json()) as { token: string };
    const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

    const csvExport = (path: string) =>
      measured(async () => {
        const response = await get(path);
        let bytes = 0;
        let lines = 0;
        // Lines counted natively (Buffer.indexOf): the client shares this process with the server,
        // and a JavaScript loop over every byte (118 MB) was half a second of the export's figure.
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) lines += 1;
        }
        return { bytes, rows: lines - 1 };
      });
    // Every event; then a job filter that picks most jobs (a customer letter nearly every name
    // has), which reads the events in time order and checks each one's job.
    for (const [label, path] of [
      [`CSV export of ${EVENTS} events`, '/api/v1/custody/export/csv?from=2025-01-01T00:00:00Z'],
      [`CSV export of ${EVENTS} events, filtered by a customer letter most jobs match`, '/api/v1/custody/export/csv?from=2025-01-01T00:00:00Z&customer=a'],
    ] as const) {
      const csv = await csvExport(path);
      figures.push({ case: label, rows: csv.result.rows, megabytes: Math.round(csv.result.bytes / 1024 / 102.4) / 10, ms: csv.ms, cpuMs: csv.cpuMs, rowsPerSecond: Math.round((csv.result.rows / csv.ms) * 1000), peakRssMb: csv.peakRssMb, rssGrowthMb: csv.rssGrowthMb, peakHeapMb: csv.peakHeapMb });
    }

    const pdf = await measured(async () => {
      const response = await get(`/api/v1/custody/export/pdf?jobId=${photoJob}`);
      if (response.status !== 200) throw new Error(`the PDF export answered ${response.status}: ${await response.text()}`);
      // Counted as it arrives, as a browser's download or the desktop app's save writes it to
      // disk: the client shares this process, and holding the file would be measured as the server's.
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
      return bytes;
    });
    figures.push({ case: `PDF of a job with ${PHOTOS} photos (${Math.round(photoBytes / 1024 / 1024)} MB of PNG)`, megabytes: Math.round(pdf.result / 1024 / 102.4) / 10, ms: pdf.ms, cpuMs: pdf.cpuMs, peakRssMb: pdf.peakRssMb, rssGrowthMb: pdf.rssGrowthMb, peakHeapMb: pdf.peakHeapMb });
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  for (const figure of figures) console.log(JSON.stringify(figure));
  console.log(`(seeding ${EVENTS} signed events took ${seedMs} ms)`);
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/custody-export.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/custody-export.json');
}

await main();
