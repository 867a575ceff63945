import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseConfig, type Store } from '../../server/store/database';
import { documentSigningKey } from '../../server/supervise/document-signing-key';
import { officeKeyVault } from '../../server/supervise/office-key-vault';
import type { OrgSigner } from '../../server/trust/org-signing-key-port';
import { throwawayOrgSigner } from '../fixtures/throwaway-org-signer';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

/**
 * The key that signs custody PDFs is the organisation key's, certified by it: one per
 * organisation key on one database however many instances ask for it at once, sealed at rest
 * so a copy of the database cannot sign, and replaced when the organisation key changes.
 */
const vault = officeKeyVault(randomBytes(32), { kind: 'environment' });
const now = new Date('2026-11-24T15:00:00Z');
let dataDir: string;
let config: DatabaseConfig;
let instances: Store[] = [];
let org: OrgSigner;

function instance(index: number): Store {
  const store = instances[index];
  if (!store) throw new Error(`no instance ${index}`);
  return store;
}

function certificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-docsign-'));
  config = testStore === 'sqlite' ? { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') } : { kind: 'postgres', url: await createTestDatabase() };
  // Two instances on one database, as two servers behind one load balancer.
  instances = [await createDatabase(config), await createDatabase(config)];
  org = await throwawayOrgSigner();
});

afterAll(async () => {
  for (const store of instances) await store.close();
  if (config.kind === 'postgres') await dropTestDatabase(config.url);
  await rm(dataDir, { recursive: true, force: true });
});

describe(`the document-signing key on ${testStore}`, () => {
  it('is the same for every instance that asks at the same moment', async () => {
    const keys = await Promise.all(instances.flatMap((store) => [documentSigningKey(store.db, vault, org, now), documentSigningKey(store.db, vault, org, now)]));
    const certificates = new Set(keys.map((key) => Buffer.from(key.certificate).toString('base64')));
    expect(certificates.size).toBe(1);
    const rows = await instance(0).db.selectFrom('document_signing_keys').selectAll().execute();
    expect(rows.length).toBe(1);
  });

  it('is certified by the organisation key through a self-signed org CA certificate of that key', async () => {
    const key = await documentSigningKey(instance(1).db, vault, org, now);
    const ca = certificate(key.issuerCertificate);
    const document = certificate(key.certificate);
    expect(Buffer.from(ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).toString('base64')).toBe(org.info.publicKey);
    expect(ca.subject.typesAndValues[0]?.value.valueBlock.value).toBe(`Reclaim organisation ${org.info.fingerprint.slice(0, 16)}`);
    expect(document.issuer.isEqual(ca.subject)).toBe(true);
    const orgKey = await webcrypto.subtle.importKey('raw', Buffer.from(org.info.publicKey, 'base64'), { name: 'Ed25519' }, false, ['verify']);
    for (const signed of [ca, document]) {
      expect(await webcrypto.subtle.verify({ name: 'Ed25519' }, orgKey, signed.signatureValue.valueBlock.valueHexView, signed.tbsView)).toBe(true);
    }
    // Years of validity, covering the moment it was made.
    expect(document.notBefore.value.getTime()).toBeLessThan(now.getTime());
    expect(document.notAfter.value.getUTCFullYear()).toBeGreaterThanOrEqual(now.getUTCFullYear() + 9);
    expect(document.subjectPublicKeyInfo.algorithm.algorithmId).toBe('1.2.840.10045.2.1');
  });

  it('keeps its private key sealed: the row holds no PKCS#8, and another key-encryption key cannot open it', async () => {
    const [row] = (await instance(0).db.selectFrom('document_signing_keys').selectAll().execute()) ?? [];
    expect(row?.private_key_sealed).toMatch(/^aes-256-gcm:v1:/);
    const stranger = officeKeyVault(randomBytes(32), { kind: 'environment' });
    await expect(documentSigningKey(instance(0).db, stranger, org, now)).rejects.toThrow(/RECLAIM_KEY_ENCRYPTION_KEY/);
  });

  it('is a new key and certificate for a new organisation key, and the old one stays as it was', async () => {
    const db = instance(0).db;
    const before = await documentSigningKey(db, vault, org, now);
    const rotated = await throwawayOrgSigner();
    const after = await documentSigningKey(db, vault, rotated, now);
    expect(after.orgKeyFingerprint).toBe(rotated.info.fingerprint);
    expect(Buffer.from(after.certificate).equals(Buffer.from(before.certificate))).toBe(false);
    expect(Buffer.from(certificate(after.issuerCertificate).subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).toString('base64')).toBe(rotated.info.publicKey);
    expect(Buffer.from((await documentSigningKey(db, vault, org, now)).certificate).equals(Buffer.from(before.certificate))).toBe(true);
  });

  it('is renewed before its certificate runs out', async () => {
    const db = instance(0).db;
    const current = certificate((await documentSigningKey(db, vault, org, now)).certificate);
    const nearTheEnd = new Date(current.notAfter.value.getTime() - 30 * 86_400_000);
    const renewed = certificate((await documentSigningKey(db, vault, org, nearTheEnd)).certificate);
    expect(renewed.notAfter.value.getTime()).toBeGreaterThan(current.notAfter.value.getTime());
    const generations = await db.selectFrom('document_signing_keys').select('generation').where('org_key_fingerprint', '=', org.info.fingerprint).orderBy('generation').execute();
    expect(generations.map((row) => row.generation)).toEqual([1, 2]);
  });
});
