import { LoginRequest, LoginResponse, MeResponse } from '../../shared/api/auth';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { ProblemError } from '../http/problem';
import { sessionsRepository } from '../store/sessions-repository';
import { toPublicUser, usersRepository } from '../store/users-repository';
import { spendDecoyVerification, verifyPassword } from './password';
import { hashSessionToken, newSessionToken } from './session-tokens';

function invalidCredentials(): ProblemError {
  // One answer for an unknown user and a wrong password: the form must not confirm user names.
  return new ProblemError(401, 'invalid_credentials', 'The user name or password is not right. Check them and try again.');
}

export function registerAuthRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Sign in; answers a bearer token for this device',
    tag: 'auth',
    access: 'public',
    body: LoginRequest,
    response: { status: 200, description: 'Signed in', schema: LoginResponse },
    handler: async ({ body }) => {
      const user = await usersRepository(context.store.db).findByUsername(body.username);
      const valid = user && !user.disabled ? await verifyPassword(body.password, user.passwordHash) : await spendDecoyVerification(body.password);
      if (!user || user.disabled || !valid) throw invalidCredentials();

      const token = newSessionToken();
      const now = context.now();
      const expiresAt = new Date(now.getTime() + context.sessionTtlMs).toISOString();
      await context.store.db.transaction().execute(async (trx) => {
        const inTrx = sessionsRepository(trx);
        if (body.deviceId) {
          await inTrx.registerDevice({ id: body.deviceId, userId: user.id, name: body.deviceName ?? null, seenAt: now.toISOString() });
        }
        await inTrx.open({ tokenHash: hashSessionToken(token), userId: user.id, deviceId: body.deviceId ?? null, createdAt: now.toISOString(), expiresAt });
      });
      return { token, expiresAt, user: toPublicUser(user) };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/auth/me',
    summary: 'Who is signed in, and until when',
    tag: 'auth',
    access: 'signed-in',
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
    access: 'signed-in',
    response: { status: 204, description: 'Signed out' },
    handler: async ({ principal }) => {
      await sessionsRepository(context.store.db).revoke(principal.tokenHash, nowIso(context));
    },
  });
}
