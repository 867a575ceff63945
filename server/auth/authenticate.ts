import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { ProblemError, problems } from '../http/problem';
import { admitDevice } from '../security/device-access';
import { sessionsRepository } from '../store/sessions-repository';
import { usersRepository } from '../store/users-repository';
import type { Principal } from './principal';
import { hashSessionToken } from './session-tokens';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Establishes who is calling from the bearer token, or answers 401 with what to do next. */
export async function authenticate(context: ServerContext, request: FastifyRequest): Promise<Principal> {
  const token = bearerToken(request);
  if (!token) throw problems.unauthenticated();
  const tokenHash = hashSessionToken(token);
  const session = await sessionsRepository(context.store.db).find(tokenHash);
  if (!session) throw problems.unauthenticated();
  // Before the revoked check: a revoked device's sessions are revoked too, and the device must
  // still learn why, so it can wipe its local data.
  await admitDevice(context.store.db, session.deviceId, context.now());
  if (session.revokedAt !== null) throw problems.unauthenticated();
  if (Date.parse(session.expiresAt) <= context.now().getTime()) {
    throw new ProblemError(
      401,
      'session_expired',
      'Your session has expired; sign in again. Work saved on this device is kept and will sync after you sign in.',
    );
  }
  const user = await usersRepository(context.store.db).findById(session.userId);
  if (!user || user.disabled) throw problems.unauthenticated();
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    deviceId: session.deviceId,
    tokenHash,
    signedInAt: session.signedInAt,
    expiresAt: session.expiresAt,
  };
}
