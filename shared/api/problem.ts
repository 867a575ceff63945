import { z } from 'zod';

/** Machine-readable reasons carried in every problem+json answer (RFC 9457). */
export const problemCodes = [
  'validation',
  'unauthenticated',
  'session_expired',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'client_too_old',
  'payload_too_large',
  /** Too many failed sign-ins for this account or address; Retry-After says when to try again. */
  'rate_limited',
  /** An admin revoked this device: the app wipes its local data. */
  'device_revoked',
  /** The path exists, but not for this method; the Allow header lists the ones it takes. */
  'method_not_allowed',
  /** The body's content type is not one this route reads. */
  'unsupported_media_type',
  /** The address (path and query) is longer than the server reads. */
  'uri_too_long',
  /** The request's headers together are larger than the server reads. */
  'headers_too_large',
  /** The request did not arrive in time (a body that stopped coming). */
  'request_timeout',
  /** This user already has as many live event streams open as the server allows. */
  'too_many_streams',
  'internal',
] as const;
export const ProblemCode = z.enum(problemCodes);
export type ProblemCode = z.infer<typeof ProblemCode>;

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: ProblemCode,
  instance: z.string().optional(),
  /** Field-level messages for validation problems: path → message. */
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: ProblemCode): string {
  return `https://reclaim.invalid/problems/${code.replace(/_/g, '-')}`;
}
