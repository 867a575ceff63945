import { LoginRequest, LoginResponse, MeResponse } from '../../shared/api/auth';
import type { Kysely } from 'kysely';
import type { DeviceKey } from '../../shared/custody/custody-event';
import type { ServerContext } from '../context';
import { registerDeviceKey } from '../custody/apply-custody-event';
import type { Database } from '../store/schema';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { ProblemError } from '../http/problem';
import { sessionsRepository } from '../store/sessions-repository';
import { toPublicUser, usersRepository } from '../store/users-repository';
import { deviceRevoked, sessionRevocation } from '../security/device-access';
import { deviceOwnership } from './device-ownership';
import { defaultLoginThrottlePolicy, loginThrottle } from '../security/login-throttle';
import { spendDecoyVerification, verifyPassword } from './password';
import { hashSessionToken, newSessionToken } from './session-tokens';

/**
 * A session lasts the sliding TTL from now, but never past the absolute limit counted from the
 * moment the password was typed: a stolen token cannot be refreshed forever.
 */
function sessionExpiry(context: ServerContext, now: Date, signedInAt: string): string {
  const sliding = now.getTime() + context.sessionTtlMs;
  const absolute = Date.parse(signedInAt) + context.sessionMaxLifetimeMs;
  return new Date(Math.min(sliding, absolute)).toISOString();
}

function invalidCredentials(): ProblemError {
  // One answer for an unknown user and a wrong password: the form must not confirm user names.
  return new ProblemError(401, 'invalid_credentials', 'The user name or password is not right. Check them and try again.');
}

/**
 * A key offered at sign-in is registered under the same rules as one pushed (registerDeviceKey),
 * and only when this user has no key on this device yet: a laptop offers one at every sign-in,
 * and one that already holds its key keeps it, so signing in again adds no key nobody uses.
 */
async function registerSignInKey(db: Kysely<Database>, context: ServerContext, key: DeviceKey, at: string): Promise<boolean> {
  const held = await db.selectFrom('device_keys').select('id').where('device_id', '=', key.deviceId).where('user_id', '=', key.userId).executeTakeFirst();
  if (held) return false;
  return (await registerDeviceKey(db, context.orgKey, { userId: key.userId, deviceId: key.deviceId }, key, at)).outcome === 'applied';
}

export function registerAuthRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Sign in; answers a bearer token for this device',
    tag: 'auth',
    action: 'session.signIn',
    problems: [401, 403, 409, 429],
    body: LoginRequest,
    response: { status: 200, description: 'Signed in', schema: LoginResponse },
    handler: async ({ body, request, reply }) => {
      const throttle = loginThrottle(context.store.db, context.loginThrottle ?? defaultLoginThrottlePolicy, context.now);
      try {
        await throttle.admit(body.username, request.ip);
      } catch (error) {
        const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
        if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
        throw error;
      }
      const user = await usersRepository(context.store.db).findByUsername(body.username);
      const valid = user && !user.disabled ? await verifyPassword(body.password, user.passwordHash) : await spendDecoyVerification(body.password);
      if (!user || user.disabled || !valid) throw invalidCredentials();
      await throttle.succeeded(body.username, request.ip);
      if (body.deviceId) {
        const device = await context.store.db.selectFrom('devices').select('revoked_at').where('id', '=', body.deviceId).executeTakeFirst();
        if (device && device.revoked_at !== null) throw deviceRevoked();
      }

      const token = newSessionToken();
      const now = context.now();
      const expiresAt = sessionExpiry(context, now, now.toISOString());
      const keyRegistered = await context.store.db.transaction().execute(async (trx) => {
        const inTrx = sessionsRepository(trx);
        let registered: boolean | null = null;
        if (body.deviceId) {
          await deviceOwnership(trx).signIn({ id: body.deviceId, userId: user.id, name: body.deviceName ?? null, seenAt: now.toISOString() });
          if (body.deviceKey) registered = await registerSignInKey(trx, context, { ...body.deviceKey, deviceId: body.deviceId, userId: user.id }, now.toISOString());
        }
        await inTrx.open({ tokenHash: hashSessionToken(token), userId: user.id, deviceId: body.deviceId ?? null, signedInAt: now.toISOString(), expiresAt });
        return registered;
      });
      return {
        token,
        expiresAt,
        user: toPublicUser(user),
        ...(body.deviceKey && keyRegistered !== null ? { deviceKey: { id: body.deviceKey.id, registered: keyRegistered } } : {}),
        orgKeyHistory: await context.orgKey.history(),
      };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/auth/me',
    summary: 'Who is signed in, and until when',
    tag: 'auth',
    action: 'session.manage',
    response: { status: 200, description: 'The signed-in user', schema: MeResponse },
    handler: async ({ principal }) => ({
      user: { id: principal.userId, username: principal.username, displayName: principal.displayName, role: principal.role },
      expiresAt: principal.expiresAt,
    }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Sign out: the token stops working at once',
    tag: 'auth',
    action: 'session.manage',
    response: { status: 204, description: 'Signed out' },
    handler: async ({ principal }) => {
      await sessionsRepository(context.store.db).revoke(principal.tokenHash, nowIso(context));
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/auth/refresh',
    summary: 'Trade a live token for a fresh one with a new expiry; the old token stops working',
    tag: 'auth',
    action: 'session.manage',
    response: { status: 200, description: 'A fresh token', schema: LoginResponse },
    handler: async ({ principal }) => {
      const user = await usersRepository(context.store.db).findById(principal.userId);
      if (!user) throw new ProblemError(401, 'unauthenticated', 'Sign in to continue.');
      const now = context.now();
      const expiresAt = sessionExpiry(context, now, principal.signedInAt);
      if (expiresAt === principal.expiresAt) {
        // The session already ends at its absolute limit: a new token would buy no time.
        throw new ProblemError(
          401,
          'session_expired',
          'This sign-in has reached its longest allowed life and cannot be refreshed; sign in again with your password.',
        );
      }
      const token = newSessionToken();
      await context.store.db.transaction().execute(async (trx) => {
        const inTrx = sessionsRepository(trx);
        await inTrx.revoke(principal.tokenHash, now.toISOString());
        await inTrx.open({ tokenHash: hashSessionToken(token), userId: user.id, deviceId: principal.deviceId, signedInAt: principal.signedInAt, expiresAt });
      });
      return { token, expiresAt, user: toPublicUser(user) };
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/auth/logout-all',
    summary: 'Sign out everywhere: every token of this user stops working at once',
    tag: 'auth',
    action: 'session.manage',
    response: { status: 204, description: 'Signed out on every device' },
    handler: async ({ principal }) => {
      await sessionRevocation(context.store.db).ofUser(principal.userId, nowIso(context));
    },
  });
}
