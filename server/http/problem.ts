import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, problemType, type Problem, type ProblemCode } from '../../shared/api/problem';

type FieldError = { path: string; message: string };

const titles: Record<ProblemCode, string> = {
  validation: 'The request is not valid',
  unauthenticated: 'Sign in required',
  session_expired: 'Session expired',
  invalid_credentials: 'Wrong user name or password',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  client_too_old: 'Update the app',
  payload_too_large: 'Too large',
  rate_limited: 'Too many attempts',
  device_revoked: 'Device revoked',
  method_not_allowed: 'Method not allowed',
  unsupported_media_type: 'Content type not accepted',
  uri_too_long: 'Address too long',
  headers_too_large: 'Headers too large',
  request_timeout: 'Request timed out',
  too_many_streams: 'Too many live views',
  internal: 'Server error',
};

/**
 * An error that already knows how to answer: thrown anywhere in a request, it becomes an RFC
 * 9457 problem+json body with words a person can act on.
 */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = 'ProblemError';
  }

  toProblem(instance?: string): Problem {
    return {
      type: problemType(this.code),
      title: titles[this.code],
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: [...this.errors] } : {}),
    };
  }
}

export const problems = {
  validation: (detail: string, errors?: readonly FieldError[]) => new ProblemError(400, 'validation', detail, errors),
  unauthenticated: () => new ProblemError(401, 'unauthenticated', 'Sign in to continue.'),
  forbidden: (detail: string) => new ProblemError(403, 'forbidden', detail),
  notFound: (detail: string) => new ProblemError(404, 'not_found', detail),
  conflict: (detail: string) => new ProblemError(409, 'conflict', detail),
};

/** Words for each zod issue, with the field's path as the user's form would name it. */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { path: prefix ? (path ? `${prefix}.${path}` : prefix) : path, message: issue.message };
  });
}

/** One sentence for a zod error, for places (a rejected mutation) that carry only a reason. */
export function describeZodError(error: z.ZodError): string {
  return fieldErrors(error)
    .map((entry) => (entry.path ? `${entry.path}: ${entry.message}` : entry.message))
    .join('; ');
}

export function sendProblem(reply: FastifyReply, error: ProblemError): FastifyReply {
  return reply
    .code(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(error.toProblem(reply.request.url.split('?')[0])));
}
