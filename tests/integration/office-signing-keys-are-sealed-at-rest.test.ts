import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Store } from '../../server/store/database';
import { officeKeyVault } from '../../server/supervise/office-key-vault';
import { fromBase64Url, toBase64Url } from '../../shared/custody/crypto-port';
import { CustodyEvent } from '../../shared/custody/custody-event';
import { readBundleZipBytes } from '../../scripts/bundle-zip-reader';
import { OrgSigningKeyInfo } from '../../shared/trust/org-key';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { CustodySearchResult, ItemTimeline, type CustodySearchHit } from '../../shared/supervise/supervise-api';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Office users' Ed25519 private keys sign dispositions. A copy of the database alone must not
 * yield them: they are sealed with AES-256-GCM under a key-encryption key kept outside it, each
 * bound to its own row, and a server given the wrong key says so instead of signing nothing.
 */
const kek = randomBytes(32).toString('base64');
const vault = officeKeyVault(Buffer.from(kek, 'base64'), { kind: 'environment' });
let dataDir: string;
let server: TestServer;
let items: CustodySearchHit[] = [];

const certificate = {
  performedBy: { name: 'Ana Ruiz', title: 'Technician' },
  media: { type: 'SSD', make: 'Samsung', model: 'PM9A1', serial: 'S4EVNX0N123456' },
  sanitization: { method: 'purge', technique: 'crypto erase', tool: 'Blancco Drive Eraser 7.9', verification: 'full', destination: 'recycler' },
  validatedBy: { name: 'Priya Raman', title: 'Supervisor', date: '2026-11-23' },
};

/** The server's own database, opened beside it as a backup or an attacker with a copy would. */
async function openStore(of: TestServer): Promise<Store> {
  if (of.store === 'sqlite') return createDatabase({ kind: 'sqlite', file: join(of.dataDir, 'reclaim.sqlite') });
  if (!of.databaseUrl) throw new Error('a PostgreSQL test server has a database URL');
  return createDatabase({ kind: 'postgres', url: of.databaseUrl });
}

async function withStore<T>(work: (store: Store) => Promise<T>, of: TestServer = server): Promise<T> {
  const store = await openStore(of);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const storedKeys = () => withStore((store) => store.db.selectFrom('office_signing_keys').selectAll().orderBy('created_at').execute());

async function dispose(username: string, item: CustodySearchHit) {
  const { token } = await server.login(username);
  return server.api(`/api/v1/custody/items/${item.itemId}/disposition`, { token, json: { disposition: 'destroyed', toName: 'Metro Recycling', certificate } });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-kek-'));
  server = await startTestServer({ dataDir, keyEncryptionKey: kek });
  const { token } = await server.login('supervisor1');
  const found = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=40', { token })).body);
  // One item per job, so disposing of one never changes another's chain.
  const jobs = new Set<string>();
  items = found.hits.filter((hit) => hit.lastEventKind !== 'disposed' && !jobs.has(hit.jobId) && jobs.add(hit.jobId)).slice(0, 5);
  if (items.length < 5) throw new Error('the demo organisation has custody history on five jobs');
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('office signing keys at rest', () => {
  it('stores a sealed key, not the key: it opens only with the key-encryption key, and the disposition verifies', async () => {
    const [first, second] = items;
    if (!first || !second) throw new Error('two items');
    expect((await dispose('supervisor1', first)).status).toBe(201);
    expect((await dispose('admin', second)).status).toBe(201);

    const rows = await storedKeys();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.private_key_sealed).toMatch(/^aes-256-gcm:v1:[0-9a-f]{16}:/);
      await expect(webcrypto.subtle.importKey('pkcs8', new TextEncoder().encode(row.private_key_sealed), { name: 'Ed25519' }, false, ['sign'])).rejects.toThrow();
      // With the key-encryption key it is the private half of the office user's device key.
      const pkcs8 = vault.open(row.private_key_sealed, { deviceKeyId: row.device_key_id, userId: row.user_id });
      expect(row.private_key_sealed).not.toContain(toBase64Url(pkcs8));
      expect(row.private_key_sealed).not.toContain(Buffer.from(pkcs8).toString('base64'));
      const privateKey = await webcrypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'Ed25519' }, false, ['sign']);
      const deviceKey = await withStore((store) => store.db.selectFrom('device_keys').select('public_key').where('id', '=', row.device_key_id).executeTakeFirstOrThrow());
      const publicKey = await webcrypto.subtle.importKey('raw', fromBase64Url(deviceKey.public_key), { name: 'Ed25519' }, false, ['verify']);
      const message = new TextEncoder().encode('reclaim');
      expect(await webcrypto.subtle.verify({ name: 'Ed25519' }, publicKey, await webcrypto.subtle.sign({ name: 'Ed25519' }, privateKey, message), message)).toBe(true);
    }

    const { token } = await server.login('supervisor1');
    const timeline = ItemTimeline.parse((await server.api(`/api/v1/custody/items/${first.itemId}`, { token })).body);
    expect(timeline.events.at(-1)?.kind).toBe('disposed');
    expect(timeline.verdict).toMatchObject({ intact: true });
  });

  it('binds each sealed key to its row: swapped between two users, neither opens, and nothing is recorded', async () => {
    const third = items[2];
    if (!third) throw new Error('a third item');
    const [a, b] = await storedKeys();
    if (!a || !b) throw new Error('two sealed keys');
    const put = (sealedForA: string, sealedForB: string) => withStore(async (store) => {
      await store.db.updateTable('office_signing_keys').set({ private_key_sealed: sealedForA }).where('device_key_id', '=', a.device_key_id).execute();
      await store.db.updateTable('office_signing_keys').set({ private_key_sealed: sealedForB }).where('device_key_id', '=', b.device_key_id).execute();
    });
    await put(b.private_key_sealed, a.private_key_sealed);
    const refused = await dispose('supervisor1', third);
    expect(refused.status).toBe(500);
    expect(JSON.stringify(refused.body)).toContain('does not open');
    const { token } = await server.login('supervisor1');
    expect(ItemTimeline.parse((await server.api(`/api/v1/custody/items/${third.itemId}`, { token })).body).events.at(-1)?.kind).not.toBe('disposed');

    await put(a.private_key_sealed, b.private_key_sealed);
    expect((await dispose('supervisor1', third)).status).toBe(201);
  });

  it('seals a key stored in plaintext (before migration 0009) at the next start, and keeps using it', async () => {
    const fourth = items[3];
    if (!fourth) throw new Error('a fourth item');
    const [row] = await storedKeys();
    if (!row) throw new Error('a sealed key');
    const plaintext = toBase64Url(vault.open(row.private_key_sealed, { deviceKeyId: row.device_key_id, userId: row.user_id }));
    await withStore((store) => store.db.updateTable('office_signing_keys').set({ private_key_sealed: plaintext }).where('device_key_id', '=', row.device_key_id).execute());

    await server.close();
    server = await startTestServer({ dataDir, keyEncryptionKey: kek });
    const [after] = await storedKeys();
    expect(after?.private_key_sealed).toMatch(/^aes-256-gcm:v1:/);
    expect(after?.private_key_sealed).not.toContain(plaintext);

    const answer = await dispose('supervisor1', fourth);
    expect(answer.status).toBe(201);
    expect(CustodyEvent.parse(answer.body).deviceKeyId).toBe(row.device_key_id);
    const { token } = await server.login('supervisor1');
    const bundle = await fetch(`${server.url}/api/v1/custody/export/bundle?jobId=${fourth.jobId}`, { headers: { authorization: `Bearer ${token}` } });
    const { fingerprint } = OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body);
    expect(await verifyCustodyBundle(subtle, await readBundleZipBytes(new Uint8Array(await bundle.arrayBuffer())), { fingerprint })).toMatchObject({ status: 'intact' });
  });

  it('refuses to start with another key-encryption key, or a malformed one, and says what to do', async () => {
    await server.close();
    await expect(startTestServer({ dataDir, keyEncryptionKey: randomBytes(32).toString('base64') })).rejects.toThrow(
      new RegExp(`sealed under key-encryption key ${vault.fingerprint}.*RECLAIM_KEY_ENCRYPTION_KEY`),
    );
    await expect(startTestServer({ dataDir, keyEncryptionKey: 'c2hvcnQ=' })).rejects.toThrow(/32 random bytes in base64.*openssl rand -base64 32/);
    server = await startTestServer({ dataDir, keyEncryptionKey: kek });
    const fifth = items[4];
    if (!fifth) throw new Error('a fifth item');
    expect((await dispose('admin', fifth)).status).toBe(201);
  });
});

describe('with no key-encryption key configured', () => {
  it('makes a key file readable by the server’s user only, and seals under it', async () => {
    const previous = process.env.RECLAIM_KEY_ENCRYPTION_KEY;
    delete process.env.RECLAIM_KEY_ENCRYPTION_KEY;
    const own = await startTestServer();
    try {
      const file = join(own.dataDir, 'key-encryption.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const fileVault = officeKeyVault(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'), { kind: 'file', path: file });
      const { token } = await own.login('supervisor1');
      const hit = CustodySearchResult.parse((await own.api('/api/v1/custody/search?limit=1', { token })).body).hits[0];
      if (!hit) throw new Error('custody history');
      const answer = await own.api(`/api/v1/custody/items/${hit.itemId}/disposition`, { token, json: { disposition: 'destroyed', toName: 'Metro Recycling', certificate } });
      expect(answer.status).toBe(201);
      const rows = await withStore((store) => store.db.selectFrom('office_signing_keys').selectAll().execute(), own);
      expect(rows.map((row) => fileVault.sealedUnder(row.private_key_sealed))).toEqual([fileVault.fingerprint]);
      expect(ItemTimeline.parse((await own.api(`/api/v1/custody/items/${hit.itemId}`, { token })).body).verdict).toMatchObject({ intact: true });
    } finally {
      await own.close();
      if (previous !== undefined) process.env.RECLAIM_KEY_ENCRYPTION_KEY = previous;
    }
  });
});
