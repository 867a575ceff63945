import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { ProblemError, problems } from '../http/problem';
import { admitDevice } from '../security/device-access';
import { sessionsRepository } from '../store/sessions-repository';
import type { Principal } from './principal';
import { hashSessionToken } from './session-tokens';

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** Who a token names, admitted or not: what the audit log records a refusal under. */
export type Caller = Pick<Principal, 'userId' | 'username' | 'role' | 'deviceId'>;

const callers = new WeakMap<FastifyRequest, Caller>();

/** The user a request's token named, once known, even when the request was refused. */
export function knownCaller(request: FastifyRequest): Caller | null {
  return callers.get(request) ?? null;
}

function accountDisabled(): ProblemError {
  return new ProblemError(403, 'forbidden', 'An administrator has disabled your account. Work saved on this device is kept; ask an administrator to enable the account again.');
}

/**
 * Establishes who is calling from the bearer token, or answers what to do next: 401 to sign in
 * (no token, an ended or expired session), 403 when signing in again would not help (a revoked
 * device, a disabled account).
 */
export async function authenticate(context: ServerContext, request: FastifyRequest): Promise<Principal> {
  const token = bearerToken(request);
  if (!token) throw problems.unauthenticated();
  const tokenHash = hashSessionToken(token);
  const caller = await sessionsRepository(context.store.db).findCaller(tokenHash);
  if (!caller) throw problems.unauthenticated();
  const { session, user } = caller;
  callers.set(request, { userId: user.id, username: user.username, role: user.role, deviceId: session.deviceId });
  // Before the revoked check: a revoked device's sessions are revoked too, and the device must
  // still learn why, so it can wipe its local data. Likewise a disabled user's sessions end, and
  // the user should learn that signing in again will not help.
  await admitDevice(context.store.db, session.deviceId, caller.device, context.now());
  if (user.disabled) throw accountDisabled();
  if (session.revokedAt !== null) throw problems.unauthenticated();
  if (Date.parse(session.expiresAt) <= context.now().getTime()) {
    throw new ProblemError(
      401,
      'session_expired',
      'Your session has expired; sign in again. Work saved on this device is kept and will sync after you sign in.',
    );
  }
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
