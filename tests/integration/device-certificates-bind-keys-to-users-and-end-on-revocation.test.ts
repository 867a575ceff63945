import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDevice } from '../../shared/api/admin';
import { certificateCovers, checkDeviceCertificate, type SignedDeviceCertificate } from '../../shared/trust/device-certificate';
import type { TrustedOrgKey } from '../../shared/trust/org-key';
import { certificatesFor } from '../../server/trust/device-certificates';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';
import { orgKeyOf, pinned, signInOnLaptop, withStore } from './helpers/trust';

/**
 * A device signature counts only from a key the organisation certified for one device, one user
 * and one role, for a period. The server certifies every key it accepts and every key it already
 * had; revoking the device or disabling the user ends the period; re-enabling opens it again.
 */
let dataDir: string;
let server: TestServer;
let keys: TrustedOrgKey[];
let adminToken: string;

async function certificateOf(deviceKeyId: string): Promise<SignedDeviceCertificate> {
  const [signed] = await withStore(server, (store) => certificatesFor(store.db, [deviceKeyId]));
  if (!signed) throw new Error(`device key ${deviceKeyId} has a certificate`);
  expect(await checkDeviceCertificate(subtle, signed, keys)).toBeNull();
  return signed;
}

async function revisions(deviceKeyId: string): Promise<number> {
  return (await withStore(server, (store) => store.db.selectFrom('device_certificates').select('serial').where('device_key_id', '=', deviceKeyId).execute())).length;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-certs-'));
  server = await startTestServer({ dataDir });
  keys = await pinned(server, (await orgKeyOf(server)).fingerprint);
  adminToken = (await server.login('admin')).token;
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('device certificates', () => {
  it('certify a laptop’s key when the server accepts it: key, device, user, name, role, from the key’s creation, no end', async () => {
    const laptop = await signInOnLaptop(server, 'agent1');
    const { certificate } = await certificateOf(laptop.device.key.id);
    const registered = await withStore(server, (store) => store.db.selectFrom('device_keys').select(['created_at', 'registered_at']).where('id', '=', laptop.device.key.id).executeTakeFirstOrThrow());
    expect(certificate).toMatchObject({
      deviceKeyId: laptop.device.key.id,
      deviceId: 'agent1-laptop',
      publicKey: laptop.device.key.publicKey,
      userId: laptop.userId,
      userName: 'agent1',
      displayName: laptop.login.user.displayName,
      role: 'agent',
      notBefore: new Date(Math.min(Date.parse(registered.created_at), Date.parse(registered.registered_at))).toISOString(),
      notAfter: null,
      issuerFingerprint: keys[0]?.fingerprint,
    });
    // Sending the same key again is a no-op, and so is its certificate.
    expect(await laptop.push('deviceKey', laptop.device.key)).toMatchObject({ outcome: 'applied' });
    expect(await revisions(laptop.device.key.id)).toBe(1);
  });

  it('end with a revoked device, at the moment it was revoked; what it signed before stays covered', async () => {
    const laptop = await signInOnLaptop(server, 'agent3');
    const before = await certificateOf(laptop.device.key.id);
    const answer = await server.api('/api/v1/admin/devices/agent3-laptop/revoke', { method: 'POST', token: adminToken });
    expect(answer.status).toBe(200);
    const revokedAt = AdminDevice.parse(answer.body).revokedAt;
    if (!revokedAt) throw new Error('the device is revoked');
    const after = await certificateOf(laptop.device.key.id);
    expect(after.certificate).toMatchObject({ ...before.certificate, serial: after.certificate.serial, issuedAt: after.certificate.issuedAt, notAfter: revokedAt });
    expect(after.certificate.serial).not.toBe(before.certificate.serial);
    expect(certificateCovers(after.certificate, new Date(Date.parse(revokedAt) - 1).toISOString())).toBe(true);
    expect(certificateCovers(after.certificate, revokedAt)).toBe(false);
    // Revoking again changes nothing.
    await server.api('/api/v1/admin/devices/agent3-laptop/revoke', { method: 'POST', token: adminToken });
    expect(await revisions(laptop.device.key.id)).toBe(2);
  });

  it('end when the user is disabled and open again when they are re-enabled', async () => {
    const laptop = await signInOnLaptop(server, 'agent2');
    const patch = (disabled: boolean) => server.api(`/api/v1/admin/users/${laptop.userId}`, { method: 'PATCH', token: adminToken, json: { disabled } });
    expect((await patch(true)).status).toBe(200);
    const ended = await certificateOf(laptop.device.key.id);
    expect(ended.certificate.notAfter).not.toBeNull();
    expect((await patch(true)).status).toBe(200);
    expect(await revisions(laptop.device.key.id)).toBe(2);
    expect((await patch(false)).status).toBe(200);
    const reopened = await certificateOf(laptop.device.key.id);
    expect(reopened.certificate).toMatchObject({ notAfter: null, notBefore: ended.certificate.notBefore, userName: 'agent2' });
    expect(await revisions(laptop.device.key.id)).toBe(3);
  });

  it('are issued at start-up for every key that has none, ending revoked devices’ keys at their revocation', async () => {
    const all = await withStore(server, (store) => store.db.selectFrom('device_keys').select(['id', 'device_id']).execute());
    expect((await withStore(server, (store) => certificatesFor(store.db, all.map((key) => key.id)))).length).toBe(all.length);
    // A database from before certificates: none at all.
    await withStore(server, (store) => store.db.deleteFrom('device_certificates').execute());
    await server.close();
    server = await startTestServer({ dataDir });
    const certified = await withStore(server, (store) => certificatesFor(store.db, all.map((key) => key.id)));
    expect(certified.map((entry) => entry.certificate.deviceKeyId).sort()).toEqual(all.map((key) => key.id).sort());
    for (const signed of certified) {
      expect(await checkDeviceCertificate(subtle, signed, keys)).toBeNull();
      expect(signed.certificate.notAfter !== null).toBe(signed.certificate.deviceId === 'agent3-laptop');
    }
  });
});
