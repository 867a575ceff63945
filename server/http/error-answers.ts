import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemCode } from '../../shared/api/problem';
import { MAX_URL_BYTES } from '../security/request-limits';
import { NulInTextError } from '../store/text-without-nul';
import { isStalePreparedStatement } from '../store/prepared-statements';
import { ProblemError, sendProblem } from './problem';

export function codeForStatus(status: number): ProblemCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 408:
      return 'request_timeout';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 414:
      return 'uri_too_long';
    case 415:
      return 'unsupported_media_type';
    case 426:
      return 'client_too_old';
    case 429:
      return 'rate_limited';
    case 431:
      return 'headers_too_large';
    default:
      return status >= 500 ? 'internal' : 'validation';
  }
}

/** Our words for each failure Fastify or Node reports; their own messages and codes never reach a client. */
const wordsForCode: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than this route accepts.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This content type is not accepted here; send JSON (application/json), or the bytes of a file where a file is uploaded.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON body.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The request body is not as long as its Content-Length header says.',
  FST_ERR_CTP_INVALID_CONTENT_TYPE: 'The Content-Type header cannot be read.',
  FST_ERR_BAD_URL: 'The address is not valid: a % must be followed by two hexadecimal digits, and the bytes they name must be UTF-8.',
  FST_ERR_MAX_PARAM_LENGTH: 'A part of the address is longer than any name the server uses.',
};

const wordsForStatus: Readonly<Record<number, string>> = {
  400: 'The request cannot be read.',
  404: 'There is nothing at this address.',
  405: 'This address does not take this method.',
  408: 'The request did not arrive in time; send it again.',
  413: 'The request body is larger than this route accepts.',
  414: `The address is too long: the server reads at most ${MAX_URL_BYTES / 1024} KiB of path and query.`,
  415: 'This content type is not accepted here.',
  431: 'The request headers are too large.',
};

function wordsFor(error: FastifyError, status: number): string {
  const byCode = error.code ? wordsForCode[error.code] : undefined;
  if (byCode) return byCode;
  // secure-json-parse refuses prototype pollution with a SyntaxError of its own.
  if (error instanceof SyntaxError) {
    return /prototype|constructor/i.test(error.message)
      ? 'The request body has a __proto__ or constructor.prototype key, which is never accepted.'
      : 'The request body is not valid JSON.';
  }
  return wordsForStatus[status] ?? 'The request cannot be carried out as sent.';
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction is safe to retry. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

const probedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods some route takes at this path, for a 405's Allow header; none when the path is
 * unknown. The web app's catch-all (its `*` parameter) names no path of its own and is not counted.
 */
function methodsAt(app: FastifyInstance, path: string): string[] {
  return probedMethods.filter((method) => {
    try {
      const route = app.findRoute({ method, url: path });
      return route !== null && !(route.params && '*' in route.params);
    } catch {
      return false;
    }
  });
}

/**
 * Failures Fastify finds while routing, before any hook runs (a malformed percent-encoding, an
 * overlong path parameter): answered in our own problem format, like everything else.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  if (status === 500) reply.log.error({ err: error }, 'routing failed');
  const detail = status === 500 ? 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.' : wordsFor(error, status);
  void sendProblem(reply, new ProblemError(status, codeForStatus(status), detail));
}

/**
 * Every failure answers problem+json, including Fastify's own (bad JSON, unknown route, wrong
 * method, a body too large or of the wrong type) and bugs, in our words and with our codes. A
 * 500 says only that something went wrong; the stack goes to the log, never the client.
 */
export function answerErrorsAsProblems(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  // Before anything else reads it: a path and query past the ceiling is refused, not parsed.
  app.addHook('onRequest', async (request) => {
    if (request.raw.url !== undefined && request.raw.url.length > MAX_URL_BYTES) throw new ProblemError(414, 'uri_too_long', wordsForStatus[414] ?? '');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error);
    if (error instanceof NulInTextError) return sendProblem(reply, new ProblemError(400, 'validation', error.message));
    if (isTransientConflict(error)) {
      // Two PostgreSQL transactions waited on each other and the database rolled one back whole;
      // nothing of it was kept, and a push is idempotent, so the client simply sends it again.
      void reply.header('retry-after', '1');
      return sendProblem(reply, new ProblemError(503, 'internal', 'The server was busy with another change to the same records. Try again in a moment.'));
    }
    if (isStalePreparedStatement(error)) {
      // A migration (a newer instance upgrading the database) changed a table this instance had a
      // statement prepared for; the connection prepares afresh from its next statement on.
      void reply.header('retry-after', '1');
      return sendProblem(reply, new ProblemError(503, 'internal', 'The database was upgraded while this request ran. Try it again in a moment.'));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, new ProblemError(500, 'internal', 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.'));
    }
    return sendProblem(reply, new ProblemError(status, codeForStatus(status), wordsFor(error, status)));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = methodsAt(app, path);
    // A route that takes this method and still found nothing (a static file that is not there) is a 404.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      void reply.header('allow', [...allowed, 'OPTIONS'].join(', '));
      if (request.method === 'OPTIONS') return reply.code(204).send();
      return sendProblem(reply, new ProblemError(405, 'method_not_allowed', `${path} takes ${allowed.join(', ')}, not ${request.method}.`));
    }
    if (fallback?.(request, reply)) return reply;
    return sendProblem(reply, new ProblemError(404, 'not_found', `There is nothing at ${request.method} ${path}.`));
  });
}
