import type { FastifyRequest } from 'fastify';
import { MIN_SUPPORTED_PROTOCOL_VERSION, PROTOCOL_HEADER } from '../../shared/sync/protocol';
import { ProblemError } from './problem';

export function clientTooOld(): ProblemError {
  return new ProblemError(
    426,
    'client_too_old',
    'This version of Reclaim is too old for the server; update the app. Your unsynced changes are kept on this device.',
  );
}

/** Refuses a sync client built against an older protocol instead of letting it corrupt data. */
export function requireSupportedProtocol(request: FastifyRequest): void {
  const header = request.headers[PROTOCOL_HEADER];
  const version = typeof header === 'string' && /^\d{1,6}$/.test(header) ? Number(header) : NaN;
  if (!(version >= MIN_SUPPORTED_PROTOCOL_VERSION)) throw clientTooOld();
}

export function requireSupportedProtocolVersion(version: number): void {
  if (version < MIN_SUPPORTED_PROTOCOL_VERSION) throw clientTooOld();
}
