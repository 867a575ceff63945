import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminDevice, AdminDeviceList, AdminUser, AdminUserList } from '../../shared/api/admin';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await server.login('admin')).token;
});
afterAll(() => server.close());

const adminRoutes = [
  { method: 'GET', path: '/api/v1/admin/users' },
  { method: 'POST', path: '/api/v1/admin/users', json: { username: 'role-matrix', displayName: 'Role Matrix', role: 'agent', password: 'long-enough-1' } },
  { method: 'PATCH', path: '/api/v1/admin/users/00000000-0000-7000-8000-000000000000', json: { disabled: true } },
  { method: 'POST', path: '/api/v1/admin/users/00000000-0000-7000-8000-000000000000/password', json: { password: 'long-enough-1' } },
  { method: 'GET', path: '/api/v1/admin/devices' },
  { method: 'POST', path: '/api/v1/admin/devices/agent1-laptop/revoke' },
] as const;

describe('the admin API', () => {
  it('follows the role matrix: 401 signed out, 403 for every role but admin', async () => {
    const tokens = {
      agent: (await server.login('agent1')).token,
      dispatcher: (await server.login('dispatcher1')).token,
      supervisor: (await server.login('supervisor1')).token,
    };
    for (const route of adminRoutes) {
      const request = { method: route.method, ...('json' in route ? { json: route.json } : {}) };
      expect((await server.api(route.path, request)).status, `${route.method} ${route.path} signed out`).toBe(401);
      for (const [role, token] of Object.entries(tokens)) {
        const answer = await server.api(route.path, { ...request, token });
        expect(answer.status, `${route.method} ${route.path} as ${role}`).toBe(403);
        expect(Problem.parse(answer.body).code).toBe('forbidden');
      }
    }
    expect((await server.api('/api/v1/admin/users', { token: adminToken })).status).toBe(200);
  });

  it('creates a user who can sign in, changes the role, resets the password and disables them', async () => {
    const created = await server.api('/api/v1/admin/users', {
      token: adminToken,
      json: { username: 'New.Agent', displayName: 'New Agent', role: 'agent', password: 'first-password-1' },
    });
    expect(created.status).toBe(201);
    const user = AdminUser.parse(created.body);
    expect(user).toMatchObject({ username: 'new.agent', role: 'agent', disabled: false });
    const duplicate = await server.api('/api/v1/admin/users', {
      token: adminToken,
      json: { username: 'new.agent', displayName: 'Again', role: 'agent', password: 'first-password-1' },
    });
    expect(duplicate.status).toBe(409);

    const first = await server.login('new.agent', 'first-password-1');
    const promoted = await server.api(`/api/v1/admin/users/${user.id}`, { method: 'PATCH', token: adminToken, json: { role: 'dispatcher' } });
    expect(AdminUser.parse(promoted.body).role).toBe('dispatcher');
    // A role change ends the old sessions: the new role applies from the next sign-in.
    expect((await server.api('/api/v1/auth/me', { token: first.token })).status).toBe(401);

    const second = await server.login('new.agent', 'first-password-1');
    const reset = await server.api(`/api/v1/admin/users/${user.id}/password`, { token: adminToken, json: { password: 'second-password-2' } });
    expect(reset.status).toBe(204);
    expect((await server.api('/api/v1/auth/me', { token: second.token })).status).toBe(401);
    expect((await server.api('/api/v1/auth/login', { json: { username: 'new.agent', password: 'first-password-1' } })).status).toBe(401);
    const third = await server.login('new.agent', 'second-password-2');

    const disabled = await server.api(`/api/v1/admin/users/${user.id}`, { method: 'PATCH', token: adminToken, json: { disabled: true } });
    expect(AdminUser.parse(disabled.body).disabled).toBe(true);
    // Signing in again would not help, so the ended session is told why (403), not asked to sign in.
    const afterDisabling = await server.api('/api/v1/auth/me', { token: third.token });
    expect(afterDisabling.status).toBe(403);
    expect(Problem.parse(afterDisabling.body).detail).toMatch(/disabled your account/);
    expect((await server.api('/api/v1/auth/login', { json: { username: 'new.agent', password: 'second-password-2' } })).status).toBe(401);
    const list = AdminUserList.parse((await server.api('/api/v1/admin/users', { token: adminToken })).body);
    expect(list.users.find((entry) => entry.id === user.id)?.disabled).toBe(true);
  });

  it('refuses to let the last admin lock the organisation out', async () => {
    const me = AdminUserList.parse((await server.api('/api/v1/admin/users', { token: adminToken })).body).users.find((entry) => entry.username === 'admin');
    const answer = await server.api(`/api/v1/admin/users/${me?.id}`, { method: 'PATCH', token: adminToken, json: { role: 'agent' } });
    expect(answer.status).toBe(409);
  });

  it('revokes a device: its sessions are refused with device_revoked, also at the next sign-in', async () => {
    const agent = await server.api('/api/v1/auth/login', { json: { username: 'agent3', password: 'demo1234', deviceId: 'van-12', deviceName: 'Van 12' } });
    const { token } = agent.body as { token: string };
    const devices = AdminDeviceList.parse((await server.api('/api/v1/admin/devices', { token: adminToken })).body).devices;
    expect(devices.find((device) => device.id === 'van-12')).toMatchObject({ name: 'Van 12', username: 'agent3', revokedAt: null });

    const revoked = await server.api('/api/v1/admin/devices/van-12/revoke', { method: 'POST', token: adminToken });
    expect(revoked.status).toBe(200);
    expect(AdminDevice.parse(revoked.body).revokedAt).not.toBeNull();

    for (const path of ['/api/v1/auth/me', '/api/v1/sync/pull?cursor=0&limit=10']) {
      const answer = await server.api(path, { token, protocol: true });
      expect(answer.status, path).toBe(403);
      expect(Problem.parse(answer.body).code).toBe('device_revoked');
    }
    const again = await server.api('/api/v1/auth/login', { json: { username: 'agent3', password: 'demo1234', deviceId: 'van-12' } });
    expect(again.status).toBe(403);
    expect(Problem.parse(again.body).code).toBe('device_revoked');
    // The person is not locked out: another device still signs in.
    expect((await server.api('/api/v1/auth/login', { json: { username: 'agent3', password: 'demo1234', deviceId: 'van-14' } })).status).toBe(200);
    expect((await server.api('/api/v1/admin/devices/no-such-device/revoke', { method: 'POST', token: adminToken })).status).toBe(404);
  });
});
