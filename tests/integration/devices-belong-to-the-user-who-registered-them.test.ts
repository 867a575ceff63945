import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDevice, AdminDeviceList } from '../../shared/api/admin';
import { Problem } from '../../shared/api/problem';
import { DispositionRequest } from '../../shared/supervise/disposition';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { makeDevice } from '../fixtures/custody-chain';
import { expectRefused, firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 2: a device id belongs to the user who registered it. Only that user, signed in
 * on that device, adds a key for it; office device names are the server's own; signing in on
 * another user's laptop never moves it, until an admin releases it. Each attack goes through the
 * real API, and the rightful user's genuine use of the device still works afterwards.
 */
let server: TestServer;
let admin: string;
let office: string;
let agent1: SignedInLaptop;
let agent2: SignedInLaptop;
const taken = new Set<string>();

function signIn(username: string, deviceId: string) {
  return server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, deviceId, deviceName: `${deviceId} (test)` } });
}

async function device(id: string): Promise<AdminDevice | undefined> {
  return AdminDeviceList.parse((await server.api('/api/v1/admin/devices', { token: admin })).body).devices.find((entry) => entry.id === id);
}

function expectConflict(answer: { status: number; headers: Headers; body: unknown }, words: RegExp): void {
  expect(answer.status).toBe(409);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(Problem.parse(answer.body).detail).toMatch(words);
}

async function collectsOnOwnJob(laptop: SignedInLaptop): Promise<void> {
  const job = await openJobWith(laptop, 1, taken);
  const [first] = job.items;
  if (!first) throw new Error('a job has an item');
  expect((await laptop.record(job.id, 'collected', [firstOf(first)])).result).toMatchObject({ outcome: 'applied' });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.login('admin')).token;
  office = (await server.login('dispatcher1')).token;
  [agent1, agent2] = await Promise.all([signInOnLaptop(server, 'agent1'), signInOnLaptop(server, 'agent2')]);
});
afterAll(() => server.close());

describe('a device belongs to the user who registered it', () => {
  it("refuses a sign-in on another user's laptop with 409, and the laptop stays its user's", async () => {
    expectConflict(await signIn('agent2', 'agent1-laptop'), /^This laptop is registered to another user; an administrator can release it/);
    expect(await device('agent1-laptop')).toMatchObject({ username: 'agent1', releasedAt: null });

    // The owner's session still works, and so does signing in there again.
    expect((await server.api('/api/v1/auth/me', { token: agent1.login.token })).status).toBe(200);
    expect((await signIn('agent1', 'agent1-laptop')).status).toBe(200);
    await collectsOnOwnJob(agent1);
  });

  it("refuses a key for another user's device or for a device other than the session's, and the owner's key applies", async () => {
    const forAgent1Laptop = await makeDevice(agent2.userId, 'agent1-laptop');
    expectRefused(await agent2.pushOne('deviceKey', forAgent1Laptop.key), 'forbidden', /registered from the laptop it belongs to: this key names device agent1-laptop, but you are signed in on agent2-laptop/);

    const inAgent1sName = await makeDevice(agent1.userId, 'agent2-laptop');
    expectRefused(await agent2.pushOne('deviceKey', inAgent1sName.key), 'forbidden', /only be registered by the user it belongs to/);

    const forTheVan = await makeDevice(agent1.userId, 'agent1-van');
    expectRefused(await agent1.pushOne('deviceKey', forTheVan.key), 'forbidden', /this key names device agent1-van, but you are signed in on agent1-laptop/);

    // Signed in on the van itself, agent1 registers the van's key; the laptop may add another of its own.
    const van = await signInOnLaptop(server, 'agent1', 'agent1-van');
    await collectsOnOwnJob(van);
    const second = await makeDevice(agent1.userId, 'agent1-laptop');
    expect(await agent1.pushOne('deviceKey', second.key)).toMatchObject({ outcome: 'applied' });
  });

  it("reserves office device names for the server's own office keys", async () => {
    expectConflict(await signIn('agent1', 'office:supervisor1'), /reserved for the office signing keys/);
    const officeName = await makeDevice(agent1.userId, 'office:supervisor1');
    expectRefused(await agent1.pushOne('deviceKey', officeName.key), 'forbidden', /Device names starting with "office:" are reserved/);

    // The supervisor's first disposition still makes the real office key under that name.
    const job = await openJobWith(agent1, 1, taken);
    const [first] = job.items;
    if (!first) throw new Error('a job has an item');
    expect((await agent1.record(job.id, 'collected', [firstOf(first)])).result).toMatchObject({ outcome: 'applied' });
    const supervisorLogin = await server.login('supervisor1');
    const supervisor = supervisorLogin.token;
    const disposed = await server.api(`/api/v1/custody/items/${first.id}/disposition`, {
      token: supervisor,
      json: DispositionRequest.parse({ disposition: 'returned_to_client', toName: 'Client returns dock' }),
    });
    expect(disposed.status).toBe(201);
    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token: office })).body);
    expect(record.verdict).toMatchObject({ intact: true });
    expect(record.deviceKeys.filter((key) => key.deviceId === 'office:supervisor1').map((key) => key.userId)).toEqual([supervisorLogin.user.id]);
  });

  it("lets an admin release a laptop for the next user, while the first user's keys and records stay theirs", async () => {
    const firstUser = await signInOnLaptop(server, 'agent1', 'shared-van');
    const job = await openJobWith(firstUser, 1, taken);
    const [first] = job.items;
    if (!first) throw new Error('a job has an item');
    const collected = await firstUser.record(job.id, 'collected', [firstOf(first)]);
    expect(collected.result).toMatchObject({ outcome: 'applied' });

    expectConflict(await signIn('agent2', 'shared-van'), /registered to another user; an administrator can release it/);
    expect((await server.api('/api/v1/admin/devices/shared-van/release', { method: 'POST', token: office })).status).toBe(403);
    expect((await server.api('/api/v1/admin/devices/no-such-van/release', { method: 'POST', token: admin })).status).toBe(404);

    const released = await server.api('/api/v1/admin/devices/shared-van/release', { method: 'POST', token: admin });
    expect(released.status).toBe(200);
    expect(AdminDevice.parse(released.body)).toMatchObject({ id: 'shared-van', username: 'agent1', revokedAt: null });
    expect(AdminDevice.parse(released.body).releasedAt).not.toBeNull();
    // The first user's sessions on it end; they sign in again elsewhere.
    expect((await server.api('/api/v1/auth/me', { token: firstUser.login.token })).status).toBe(401);

    const nextUser = await signInOnLaptop(server, 'agent2', 'shared-van');
    expect(await device('shared-van')).toMatchObject({ username: 'agent2', releasedAt: null });
    await collectsOnOwnJob(nextUser);
    expectConflict(await signIn('agent1', 'shared-van'), /registered to another user/);

    // The first user's record is untouched: signed by their key for the van, which is still theirs.
    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token: office })).body);
    expect(record.events.map((event) => event.id)).toContain(collected.event.id);
    expect(record.verdict).toMatchObject({ intact: true });
    expect(record.deviceKeys.find((key) => key.id === firstUser.device.key.id)).toMatchObject({ deviceId: 'shared-van', userId: firstUser.userId });
  });
});
