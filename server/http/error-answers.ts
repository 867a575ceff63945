import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemCode } from '../../shared/api/problem';
import { NulInTextError } from '../store/text-without-nul';
import { ProblemError, sendProblem } from './problem';

function codeForStatus(status: number): ProblemCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 426) return 'client_too_old';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'internal';
  return 'validation';
}

function wordsFor(error: FastifyError, status: number): string {
  if (status === 413) return 'The request is too large.';
  if (status === 415) return 'This content type is not accepted here; send JSON, or bytes for a file upload.';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return 'The request body is not valid JSON.';
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is empty; send a JSON body.';
  return error.message;
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction is safe to retry. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Every failure answers problem+json, including Fastify's own (bad JSON, unknown route) and
 * bugs. A 500 says only that something went wrong; the stack goes to the log, never the client.
 */
export function answerErrorsAsProblems(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) return sendProblem(reply, error);
    if (error instanceof NulInTextError) return sendProblem(reply, new ProblemError(400, 'validation', error.message));
    if (isTransientConflict(error)) {
      // Two PostgreSQL transactions waited on each other and the database rolled one back whole;
      // nothing of it was kept, and a push is idempotent, so the client simply sends it again.
      void reply.header('retry-after', '1');
      return sendProblem(reply, new ProblemError(503, 'internal', 'The server was busy with another change to the same records. Try again in a moment.'));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, new ProblemError(500, 'internal', 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.'));
    }
    return sendProblem(reply, new ProblemError(status, codeForStatus(status), wordsFor(error, status)));
  });

  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return reply;
    return sendProblem(reply, new ProblemError(404, 'not_found', `There is nothing at ${request.method} ${request.url.split('?')[0]}.`));
  });
}
