import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogCheckpoint, OrgKeyRotationResult } from '../../shared/api/trust';
import { custodyLogOrigin, openCheckpoint } from '../../shared/trust/checkpoint';
import { checkDeviceCertificate } from '../../shared/trust/device-certificate';
import { orgKeyVerifier, trustedOrgKeys } from '../../shared/trust/org-key';
import { fromBase64 } from '../../shared/trust/strict-bytes';
import { certificatesFor } from '../../server/trust/device-certificates';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';
import { orgKeyHistoryOf, orgKeyOf, pinned, signInOnLaptop, withStore } from './helpers/trust';

/**
 * The organisation key is what a stranger pins, so there is exactly one per database: made at the
 * first start, sealed at rest, the same on every instance, never silently replaced by an instance
 * that cannot unseal it, and rotated only by an admin in a way that keeps old records verifiable.
 */
const kek = randomBytes(32).toString('base64');
const KEK_ERROR = /organisation signing key[\s\S]*RECLAIM_KEY_ENCRYPTION_KEY/;

async function checkpointOf(server: TestServer, token: string): Promise<LogCheckpoint> {
  const answer = await server.api('/api/v1/custody/log/checkpoint', { token });
  expect(answer.status).toBe(200);
  return LogCheckpoint.parse(answer.body);
}

describe('one organisation key, sealed, made once', () => {
  let dataDir: string;
  let server: TestServer;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reclaim-orgkey-'));
    server = await startTestServer({ dataDir, keyEncryptionKey: kek });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is published without signing in as exactly { algorithm, publicKey, fingerprint }, the fingerprint being SHA-256 of the raw key', async () => {
    const answer = await server.api('/api/v1/org/signing-key');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body as object).sort()).toEqual(['algorithm', 'fingerprint', 'publicKey']);
    const info = await orgKeyOf(server);
    const raw = Buffer.from(info.publicKey, 'base64');
    expect(info.algorithm).toBe('Ed25519');
    expect(raw).toHaveLength(32);
    expect(info.fingerprint).toBe(createHash('sha256').update(raw).digest('hex'));

    const rows = await withStore(server, (store) => store.db.selectFrom('org_signing_keys').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(rows[0]?.private_key_sealed).toMatch(/^aes-256-gcm:v1:[0-9a-f]{16}:/);
  });

  it('is the same key and organisation after a restart', async () => {
    const before = await orgKeyHistoryOf(server);
    await server.close();
    server = await startTestServer({ dataDir, keyEncryptionKey: kek });
    expect(await orgKeyHistoryOf(server)).toEqual(before);
  });

  it('refuses to start with a key-encryption key that cannot unseal it, and says which setting to fix', async () => {
    const before = await orgKeyOf(server);
    await server.close();
    await expect(startTestServer({ dataDir, keyEncryptionKey: randomBytes(32).toString('base64') })).rejects.toThrow(KEK_ERROR);
    server = await startTestServer({ dataDir, keyEncryptionKey: kek });
    expect(await orgKeyOf(server)).toEqual(before);
  });

  it('rotates for an admin only; certificates and checkpoints signed before still verify with either key pinned', async () => {
    const old = await orgKeyOf(server);
    const { organisationId } = await orgKeyHistoryOf(server);
    for (const username of ['agent1', 'dispatcher1', 'supervisor1']) {
      const { token } = await server.login(username);
      expect((await server.api('/api/v1/org/signing-key/rotate', { method: 'POST', token })).status).toBe(403);
    }
    expect((await server.api('/api/v1/org/signing-key/rotate', { method: 'POST' })).status).toBe(401);
    expect(await orgKeyOf(server)).toEqual(old);

    const supervisor = await server.login('supervisor1');
    const before = await checkpointOf(server, supervisor.token);
    const agentLaptop = await signInOnLaptop(server, 'agent2');
    const [certifiedBefore] = await withStore(server, (store) => certificatesFor(store.db, [agentLaptop.device.key.id]));
    if (!certifiedBefore) throw new Error('the pushed key is certified');
    expect(certifiedBefore.certificate.issuerFingerprint).toBe(old.fingerprint);

    const { token: adminToken } = await server.login('admin');
    const answer = await server.api('/api/v1/org/signing-key/rotate', { method: 'POST', token: adminToken });
    expect(answer.status).toBe(200);
    const rotated = OrgKeyRotationResult.parse(answer.body);
    expect(rotated.previous).toEqual(old);
    expect(rotated.current.fingerprint).not.toBe(old.fingerprint);
    expect(await orgKeyOf(server)).toEqual(rotated.current);
    expect((await orgKeyHistoryOf(server)).rotations).toEqual([rotated.rotation]);

    const after = await checkpointOf(server, supervisor.token);
    const origin = custodyLogOrigin(organisationId);
    for (const pin of [old.fingerprint, rotated.current.fingerprint]) {
      const keys = await pinned(server, pin);
      expect(keys.map((key) => key.fingerprint)).toEqual([old.fingerprint, rotated.current.fingerprint]);
      expect((await openCheckpoint(subtle, before.checkpoint, keys, origin)).checkpoint.size).toBe(before.size);
      expect((await openCheckpoint(subtle, after.checkpoint, keys, origin)).signer.name).toBe(orgKeyVerifier(fromBase64(rotated.current.publicKey, 'key')).name);
      expect(await checkDeviceCertificate(subtle, certifiedBefore, keys)).toBeNull();
    }
    // After the rotation the retired key signs nothing: the new checkpoint does not open with it alone.
    await expect(openCheckpoint(subtle, after.checkpoint, [orgKeyVerifier(fromBase64(old.publicKey, 'key'))], origin)).rejects.toThrow(/not signed by/);
    await expect(trustedOrgKeys(subtle, 'f'.repeat(64), await orgKeyHistoryOf(server))).rejects.toThrow(/pinned fingerprint/);

    // Keys certified from now on are certified by the new key, and verify with the old pin too.
    const laterLaptop = await signInOnLaptop(server, 'agent3');
    const [certifiedAfter] = await withStore(server, (store) => certificatesFor(store.db, [laterLaptop.device.key.id]));
    if (!certifiedAfter) throw new Error('the pushed key is certified');
    expect(certifiedAfter.certificate.issuerFingerprint).toBe(rotated.current.fingerprint);
    expect(await checkDeviceCertificate(subtle, certifiedAfter, await pinned(server, old.fingerprint))).toBeNull();

    // A second rotation extends the chain; the first pin still reaches the newest key.
    const again = OrgKeyRotationResult.parse((await server.api('/api/v1/org/signing-key/rotate', { method: 'POST', token: adminToken })).body);
    const chain = await pinned(server, old.fingerprint);
    expect(chain.map((key) => key.fingerprint)).toEqual([old.fingerprint, rotated.current.fingerprint, again.current.fingerprint]);
    expect(await checkDeviceCertificate(subtle, certifiedBefore, chain)).toBeNull();
    expect(await checkDeviceCertificate(subtle, certifiedAfter, chain)).toBeNull();
  });
});

const onPostgres = testStore === 'postgres';
describe.skipIf(!onPostgres)('instances sharing one PostgreSQL (integration-postgres only)', () => {
  let databaseUrl: string;
  const started: TestServer[] = [];
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of started.reverse()) await server.close();
    await dropTestDatabase(databaseUrl);
  });

  it('two instances started at once on an empty database make one key and one organisation, and follow each other’s rotations', async () => {
    const [a, b] = await Promise.all([startTestServer({ databaseUrl, keyEncryptionKey: kek, demo: false }), startTestServer({ databaseUrl, keyEncryptionKey: kek, demo: false })]);
    started.push(a, b);
    expect(await orgKeyHistoryOf(a)).toEqual(await orgKeyHistoryOf(b));
    expect(await withStore(a, (store) => store.db.selectFrom('org_signing_keys').select('id').execute())).toHaveLength(1);
    expect(await withStore(a, (store) => store.db.selectFrom('organisation').select('id').execute())).toHaveLength(1);

    // A third instance seeds the demo users; an admin rotates through it, and A and B sign with the new key.
    const c = await startTestServer({ databaseUrl, keyEncryptionKey: kek });
    started.push(c);
    const { token: adminToken } = await c.login('admin');
    const rotated = OrgKeyRotationResult.parse((await c.api('/api/v1/org/signing-key/rotate', { method: 'POST', token: adminToken })).body);
    const { organisationId } = await orgKeyHistoryOf(c);
    const newKeyOnly = [orgKeyVerifier(fromBase64(rotated.current.publicKey, 'key'))];
    for (const other of [a, b]) {
      expect(await orgKeyOf(other)).toEqual(rotated.current);
      const checkpoint = await checkpointOf(other, adminToken);
      expect((await openCheckpoint(subtle, checkpoint.checkpoint, newKeyOnly, custodyLogOrigin(organisationId))).checkpoint.size).toBe(checkpoint.size);
    }
  });

  it('an instance with another key-encryption key, or none set, refuses to start instead of making a second key', async () => {
    await expect(startTestServer({ databaseUrl, keyEncryptionKey: randomBytes(32).toString('base64') })).rejects.toThrow(KEK_ERROR);
    // With no key in its environment an instance makes a key file of its own: that cannot unseal it either.
    await expect(startTestServer({ databaseUrl })).rejects.toThrow(KEK_ERROR);
    const first = started[0];
    if (!first) throw new Error('an instance is running');
    expect(await withStore(first, (store) => store.db.selectFrom('org_signing_keys').select('id').execute())).toHaveLength(2);
  });
});
