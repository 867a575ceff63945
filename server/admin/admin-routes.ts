import { z } from 'zod';
import {
  AdminDevice,
  AdminDeviceList,
  AdminUser,
  AdminUserList,
  CreateUserRequest,
  DeviceId,
  ResetPasswordRequest,
  UpdateUserRequest,
} from '../../shared/api/admin';
import { newId } from '../../shared/ids';
import { deviceOwnership } from '../auth/device-ownership';
import { hashPassword } from '../auth/password';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { sessionRevocation } from '../security/device-access';
import { usersRepository } from '../store/users-repository';
import { endCertificatesOfDevice, endCertificatesOfUser, reopenCertificatesOfUser } from '../trust/device-certificates';
import { adminRepository } from './admin-repository';

const UserParams = z.object({ id: z.uuid() });
const DeviceParams = z.object({ id: DeviceId });

/**
 * Users and devices, for the admin role only. Every change that takes access away (disable,
 * new password, lower role, revoked device) also ends the sessions it concerns at once.
 */
export function registerAdminRoutes(api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;

  async function existingUser(id: string): Promise<AdminUser> {
    const user = await adminRepository(db).user(id);
    if (!user) throw problems.notFound('There is no such user.');
    return user;
  }

  api.route({
    method: 'GET',
    url: '/api/v1/admin/users',
    summary: 'Every user, disabled ones included',
    tag: 'admin',
    action: 'users.manage',
    response: { status: 200, description: 'Users', schema: AdminUserList },
    handler: async () => ({ users: await adminRepository(db).users() }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/admin/users',
    summary: 'Create a user with a first password',
    tag: 'admin',
    action: 'users.manage',
    problems: [409],
    body: CreateUserRequest,
    response: { status: 201, description: 'Created', schema: AdminUser },
    handler: async ({ body }) => {
      if (await usersRepository(db).findByUsername(body.username)) throw problems.conflict(`The user name ${body.username} is taken.`);
      const id = newId();
      await usersRepository(db).enrol({
        id,
        username: body.username,
        displayName: body.displayName,
        role: body.role,
        passwordHash: await hashPassword(body.password),
        createdAt: nowIso(context),
      });
      return existingUser(id);
    },
  });

  api.route({
    method: 'PATCH',
    url: '/api/v1/admin/users/:id',
    summary: 'Rename, change the role of, disable or re-enable a user',
    tag: 'admin',
    action: 'users.manage',
    problems: [409],
    params: UserParams,
    body: UpdateUserRequest,
    response: { status: 200, description: 'The user after the change', schema: AdminUser },
    handler: async ({ params, body, principal }) => {
      const before = await existingUser(params.id);
      const losesAdmin = before.role === 'admin' && !before.disabled && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'));
      // Nobody may lock the organisation out of its own administration.
      if (losesAdmin && params.id === principal.userId) throw problems.conflict('You cannot disable yourself or remove your own admin role.');
      if (losesAdmin && (await adminRepository(db).activeAdmins()) <= 1) throw problems.conflict('This is the last active admin.');
      await adminRepository(db).update(params.id, body);
      const narrowed = body.disabled === true || (body.role !== undefined && body.role !== before.role);
      if (narrowed) await sessionRevocation(db).ofUser(params.id, nowIso(context));
      // A disabled user's keys are certified to end now; re-enabled, they are certified again.
      if (body.disabled === true && !before.disabled) await endCertificatesOfUser(db, context.orgKey, params.id, nowIso(context));
      if (body.disabled === false && before.disabled) await reopenCertificatesOfUser(db, context.orgKey, params.id);
      return existingUser(params.id);
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/admin/users/:id/password',
    summary: 'Set a new password; the user is signed out everywhere',
    tag: 'admin',
    action: 'users.manage',
    params: UserParams,
    body: ResetPasswordRequest,
    response: { status: 204, description: 'Password set' },
    handler: async ({ params, body }) => {
      const user = await existingUser(params.id);
      await adminRepository(db).setPasswordHash(user.id, await hashPassword(body.password));
      await sessionRevocation(db).ofUser(user.id, nowIso(context));
      await db.deleteFrom('login_throttle').where('key', '=', `account:${user.username}`).execute();
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/admin/devices',
    summary: 'Every device that has signed in, with its user and when it was last seen',
    tag: 'admin',
    action: 'devices.manage',
    response: { status: 200, description: 'Devices', schema: AdminDeviceList },
    handler: async () => ({ devices: await adminRepository(db).devices() }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/admin/devices/:id/revoke',
    summary: 'Revoke a device: its sessions end and at its next contact it wipes its local data',
    tag: 'admin',
    action: 'devices.manage',
    params: DeviceParams,
    response: { status: 200, description: 'The revoked device', schema: AdminDevice },
    handler: async ({ params, principal }) => {
      const at = nowIso(context);
      await db.transaction().execute(async (trx) => {
        const exists = await trx.selectFrom('devices').select('id').where('id', '=', params.id).executeTakeFirst();
        if (!exists) throw problems.notFound('There is no such device.');
        const revoked = await adminRepository(trx).revokeDevice(params.id, principal.userId, at);
        await sessionRevocation(trx).ofDevice(params.id, at);
        // Its keys' signatures stop counting from now: their certificates are re-issued with an end.
        if (revoked) await endCertificatesOfDevice(trx, context.orgKey, params.id, at);
      });
      const device = (await adminRepository(db).devices()).find((entry) => entry.id === params.id);
      if (!device) throw problems.notFound('There is no such device.');
      return device;
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/admin/devices/:id/release',
    summary: 'Release a device from its user: their sessions on it end, and the next user to sign in on it registers it',
    tag: 'admin',
    action: 'devices.manage',
    params: DeviceParams,
    response: { status: 200, description: 'The released device', schema: AdminDevice },
    handler: async ({ params, principal }) => {
      const at = nowIso(context);
      // The keys the laptop registered and the records they signed stay with the user they were
      // registered for; only the right to sign in on the id (and add a key for it) moves on.
      await db.transaction().execute(async (trx) => {
        if (!(await deviceOwnership(trx).release(params.id, principal.userId, at))) throw problems.notFound('There is no such device.');
        await sessionRevocation(trx).ofDevice(params.id, at);
      });
      const device = (await adminRepository(db).devices()).find((entry) => entry.id === params.id);
      if (!device) throw problems.notFound('There is no such device.');
      return device;
    },
  });
}
