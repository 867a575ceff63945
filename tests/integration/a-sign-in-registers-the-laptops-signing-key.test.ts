import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { checkDeviceCertificate } from '../../shared/trust/device-certificate';
import type { TrustedOrgKey } from '../../shared/trust/org-key';
import { certificatesFor } from '../../server/trust/device-certificates';
import { makeDevice, subtle } from '../fixtures/custody-chain';
import { firstOf, openJobWith, signInOnLaptop } from './helpers/custody-pushers';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers/server';
import { orgKeyHistoryOf, orgKeyOf, pinned, withStore } from './helpers/trust';

/**
 * The app offers its custody signing key with the sign-in, so a new laptop's first sync pulls at
 * once instead of pushing the key first. The sign-in registers it under the rules a pushed key
 * meets (the signed-in user, on the device signed in from, never over another key's id), and only
 * when that user has no key on that device yet. Each attempt to slip a key in goes through the
 * real API, and what the server holds afterwards is read from its database.
 */
let dataDir: string;
let server: TestServer;
let keys: TrustedOrgKey[];
const taken = new Set<string>();

async function offer(deviceId: string) {
  const { key, privateKey } = await makeDevice('', deviceId);
  return { offer: { id: key.id, algorithm: key.algorithm, publicKey: key.publicKey, createdAt: key.createdAt }, privateKey };
}

function signIn(username: string, body: Record<string, unknown>) {
  return server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, ...body } });
}

async function keysOn(deviceId: string): Promise<{ id: string; user_id: string; public_key: string }[]> {
  return withStore(server, (store) => store.db.selectFrom('device_keys').select(['id', 'user_id', 'public_key']).where('device_id', '=', deviceId).orderBy('registered_at').execute());
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-sign-in-key-'));
  server = await startTestServer({ dataDir });
  keys = await pinned(server, (await orgKeyOf(server)).fingerprint);
});
afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a sign-in registers the laptop’s signing key', () => {
  it('registers and certifies the offered key, answers the organisation key’s history, and events the key signs apply with no key pushed', async () => {
    const laptop = await signInOnLaptop(server, 'agent1', 'agent1-laptop', { keyAtSignIn: true });
    expect(laptop.login.deviceKey).toEqual({ id: laptop.device.key.id, registered: true });
    expect(laptop.login.orgKeyHistory).toEqual(await orgKeyHistoryOf(server));

    expect(await keysOn('agent1-laptop')).toEqual([{ id: laptop.device.key.id, user_id: laptop.userId, public_key: laptop.device.key.publicKey }]);
    const [signed] = await withStore(server, (store) => certificatesFor(store.db, [laptop.device.key.id]));
    if (!signed) throw new Error('the key registered at sign-in has a certificate');
    expect(await checkDeviceCertificate(subtle, signed, keys)).toBeNull();
    expect(signed.certificate).toMatchObject({ deviceKeyId: laptop.device.key.id, deviceId: 'agent1-laptop', userId: laptop.userId, notAfter: null });

    const job = await openJobWith(laptop, 1, taken);
    const [item] = job.items;
    if (!item) throw new Error('a job has an item');
    expect((await laptop.record(job.id, 'collected', [firstOf(item)])).result).toMatchObject({ outcome: 'applied' });
  });

  it('adds no second key when the user signs in again on a laptop that has one', async () => {
    const before = await keysOn('agent1-laptop');
    const again = await signIn('agent1', { deviceId: 'agent1-laptop', deviceKey: (await offer('agent1-laptop')).offer });
    expect(again.status).toBe(200);
    expect(LoginResponse.parse(again.body).deviceKey).toMatchObject({ registered: false });
    expect(await keysOn('agent1-laptop')).toEqual(before);
  });

  it('never registers a key over another key’s id, and that key stays as it was', async () => {
    const [theirs] = await keysOn('agent1-laptop');
    if (!theirs) throw new Error('agent1’s laptop has a key');
    const mine = await offer('agent2-laptop');
    const answer = await signIn('agent2', { deviceId: 'agent2-laptop', deviceKey: { ...mine.offer, id: theirs.id } });
    expect(answer.status).toBe(200);
    expect(LoginResponse.parse(answer.body).deviceKey).toEqual({ id: theirs.id, registered: false });
    expect(await keysOn('agent1-laptop')).toEqual([theirs]);
    expect(await keysOn('agent2-laptop')).toEqual([]);
  });

  it('registers nothing with a sign-in refused on another user’s laptop', async () => {
    const answer = await signIn('agent2', { deviceId: 'agent1-laptop', deviceKey: (await offer('agent1-laptop')).offer });
    expect(answer.status).toBe(409);
    const agent2 = (await server.login('agent2')).user.id;
    expect((await keysOn('agent1-laptop')).map((key) => key.user_id)).not.toContain(agent2);
  });

  it('registers nothing with a wrong password', async () => {
    const answer = await server.api('/api/v1/auth/login', { json: { username: 'agent3', password: 'not the password', deviceId: 'agent3-laptop', deviceKey: (await offer('agent3-laptop')).offer } });
    expect(answer.status).toBe(401);
    expect(await keysOn('agent3-laptop')).toEqual([]);
  });

  it('refuses, before anything is stored, a key offered without its device or not an Ed25519 public key', async () => {
    const noDevice = await signIn('agent3', { deviceKey: (await offer('agent3-laptop')).offer });
    expect(noDevice.status).toBe(400);
    expect(Problem.parse(noDevice.body).detail).toMatch(/device key is offered with the id of the device it belongs to/);

    const short = await signIn('agent3', { deviceId: 'agent3-laptop', deviceKey: { ...(await offer('agent3-laptop')).offer, publicKey: 'AAAA' } });
    expect(short.status).toBe(400);
    expect(Problem.parse(short.body).detail).toMatch(/Ed25519 public key is 32 bytes/);
    expect(await keysOn('agent3-laptop')).toEqual([]);
  });

  it('still signs in a laptop that offers no key, which then registers its key through sync', async () => {
    const laptop = await signInOnLaptop(server, 'agent3', 'agent3-laptop');
    expect(laptop.login.deviceKey).toBeUndefined();
    expect(await keysOn('agent3-laptop')).toEqual([{ id: laptop.device.key.id, user_id: laptop.userId, public_key: laptop.device.key.publicKey }]);
  });
});
