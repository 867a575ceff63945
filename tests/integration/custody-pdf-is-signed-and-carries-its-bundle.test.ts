import { spawnSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { folderBlobStore } from '../../server/blobs/blob-store';
import { createDatabase, type Store } from '../../server/store/database';
import { jobsRepository } from '../../server/store/jobs-repository';
import { custodyPdf, type CustodyPdfContext, type CustodyPdfTrust } from '../../server/supervise/custody-pdf';
import type { CustodyRecordForExport } from '../../server/supervise/custody-record';
import { custodySearch, userNames } from '../../server/supervise/custody-search';
import { officeKeyVault } from '../../server/supervise/office-key-vault';
import type { OrgSigner } from '../../server/trust/org-signing-key-port';
import { newId } from '../../shared/ids';
import { Role } from '../../shared/domain/roles';
import { custodyLogOrigin, signCheckpoint } from '../../shared/trust/checkpoint';
import type { DeviceCertificateBody } from '../../shared/trust/device-certificate';
import { orgKeyName } from '../../shared/trust/org-key';
import { fromBase64 } from '../../shared/trust/strict-bytes';
import { verifySignedPdf } from '../../shared/trust/verify-signed-pdf';
import { pdfText } from '../fixtures/pdf-text';
import { throwawayOrgSigner } from '../fixtures/throwaway-org-signer';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The custody PDF of a real record (the demo organisation's, on SQLite or PostgreSQL) is a signed
 * document: it carries the record's own bundle, the organisation's fingerprint, the log
 * checkpoint, and for each event who signed it with which certified device and when the device
 * and the server's log each saw it, in the job's time zone; and it verifies as one whole.
 */
const kek = randomBytes(32).toString('base64');
const generatedAt = new Date('2026-11-24T18:30:00Z');
let server: TestServer;
let store: Store;
let context: CustodyPdfContext;
let org: OrgSigner;
let record: CustodyRecordForExport;
let trust: CustodyPdfTrust;
let signed: Uint8Array;
let bundleBytes: Uint8Array;

/** The report as the server writes it: to a file, read back whole for the checks. */
async function reportOf(withTrust: CustodyPdfTrust): Promise<Uint8Array> {
  const file = join(server.dataDir, `custody-${newId()}.pdf`);
  const size = await custodyPdf(context, record, 'Priya Raman (supervisor1)', withTrust, file);
  const bytes = new Uint8Array(await readFile(file));
  expect(bytes.length).toBe(size);
  return bytes;
}

async function download(path: string, token: string): Promise<Uint8Array> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function checkpointNote(signer: OrgSigner, size: number): Promise<string> {
  const noteSigner = { name: orgKeyName(signer.info.fingerprint), publicKey: fromBase64(signer.info.publicKey, 'the key'), sign: (bytes: Uint8Array) => signer.sign(bytes) };
  return signCheckpoint({ origin: custodyLogOrigin(newId()), size, root: new Uint8Array(32).fill(7), time: '2026-11-24T18:29:00Z' }, noteSigner);
}

beforeAll(async () => {
  server = await startTestServer({ keyEncryptionKey: kek });
  store = server.store === 'sqlite' ? await createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') }) : await createDatabase({ kind: 'postgres', url: server.databaseUrl ?? '' });
  context = { store, now: () => generatedAt, blobs: folderBlobStore(join(server.dataDir, 'blobs')), officeKeys: officeKeyVault(Buffer.from(kek, 'base64'), { kind: 'environment' }) };
  const { db } = store;
  const busiest = await db.selectFrom('custody_events').select(['job_id']).groupBy('job_id').orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow();
  const job = await jobsRepository(db).find(busiest.job_id);
  if (!job) throw new Error('the demo job is gone');
  const search = custodySearch(db, webcrypto.subtle);
  const chain = await search.jobRecord(job.id);
  record = { jobs: [job], itemIds: await search.itemIdsOfJob(job.id), events: chain.events, deviceKeys: chain.deviceKeys, users: await userNames(db), verdict: chain.verdict };

  org = await throwawayOrgSigner();
  const { token } = await server.login('supervisor1');
  const users = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role']).execute();
  const certificates = new Map<string, DeviceCertificateBody>();
  for (const key of record.deviceKeys) {
    const user = users.find((candidate) => candidate.id === key.userId);
    if (!user) continue;
    certificates.set(key.id, {
      format: 'reclaim-device-certificate-v1',
      serial: newId(),
      deviceKeyId: key.id,
      deviceId: key.deviceId,
      publicKey: key.publicKey,
      userId: key.userId,
      userName: user.username,
      displayName: user.display_name,
      role: Role.parse(user.role),
      notBefore: key.createdAt,
      notAfter: null,
      issuedAt: key.createdAt,
      issuerFingerprint: org.info.fingerprint,
    });
  }
  bundleBytes = await download(`/api/v1/custody/export/bundle?jobId=${job.id}`, token);
  trust = {
    orgKey: org,
    bundle: { name: 'custody-record.zip', size: bundleBytes.length, chunks: async function* () { yield bundleBytes; } },
    checkpoint: await checkpointNote(org, record.events.length),
    loggedAt: new Map(record.events.map((event) => [event.id, new Date(Date.parse(event.at) + 95_000).toISOString()])),
    certificates,
  };
  signed = await reportOf(trust);
});

afterAll(async () => {
  await store?.close();
  await server?.close();
});

describe('the signed custody PDF of a demo record', () => {
  it('verifies against the organisation key and carries the record’s bundle byte for byte', async () => {
    expect(record.events.length).toBeGreaterThan(1);
    const verdict = await verifySignedPdf(webcrypto.subtle, signed, [{ fingerprint: org.info.fingerprint, from: null, until: null }]);
    if (!verdict.ok) throw new Error(verdict.message);
    expect(verdict.signingTime).toBe(generatedAt.toISOString());
    expect(verdict.bundle.name).toBe('custody-record.zip');
    expect(Buffer.from(verdict.bundle.bytes).equals(Buffer.from(bundleBytes))).toBe(true);
  });

  it('shows the fingerprint, the checkpoint, and each event’s certified signer with device and log times in the job’s zone', async () => {
    const { text } = await pdfText(signed);
    const flat = text.replace(/\s+/g, ' ');
    const job = record.jobs[0];
    expect(flat).toContain(org.info.fingerprint);
    expect(flat).toContain(`Custody log checkpoint: ${record.events.length} events, root ${'07'.repeat(32)}`);
    expect(flat).toContain(`— ${orgKeyName(org.info.fingerprint)} `);
    expect(flat).toContain(`time zone, ${job?.timeZone}`);
    const first = record.events[0];
    const certificate = first ? trust.certificates.get(first.deviceKeyId) : undefined;
    expect(flat).toContain(`Signed by ${certificate?.displayName} (${certificate?.userName}, ${certificate?.role}) with device ${certificate?.deviceId}`);
    expect(flat.match(/Device time \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2} Server log time \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2}/g)?.length).toBe(record.events.filter((event) => event.items.some((item) => record.itemIds.includes(item.itemId))).length);
  });

  it('opens in pdf.js with the bundle as its one attachment', async () => {
    const document = await getDocument({ data: signed.slice(), isEvalSupported: false }).promise;
    const attachments = z.record(z.string(), z.object({ filename: z.string(), content: z.instanceof(Uint8Array) })).parse(await document.getAttachments());
    await document.destroy();
    expect(Object.values(attachments).map((file) => [file.filename, Buffer.from(file.content).equals(Buffer.from(bundleBytes))])).toEqual([['custody-record.zip', true]]);
  });

  const pdfsig = spawnSync('pdfsig', ['-v'], { encoding: 'utf8' });
  it.skipIf(pdfsig.error !== undefined)('is a valid signature to poppler’s pdfsig', async () => {
    const file = join(server.dataDir, 'custody.pdf');
    await writeFile(file, signed);
    const output = spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout;
    expect(output).toContain('Signature Validation: Signature is Valid.');
    expect(output).toContain('Total document signed');
  });

  it('refuses to print a checkpoint the organisation key did not sign', async () => {
    const stranger = await throwawayOrgSigner();
    await expect(reportOf({ ...trust, checkpoint: await checkpointNote(stranger, 1) })).rejects.toThrow(/not signed by/);
  });
});
