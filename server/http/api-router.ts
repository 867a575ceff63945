import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { isOfficeRole, type Role } from '../../shared/domain/roles';
import { authenticate } from '../auth/authenticate';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { JSON_BODY_LIMIT } from '../security/body-limits';
import type { DescribedRoute } from './openapi';
import { fieldErrors, problems } from './problem';
import { requireSupportedProtocol } from './protocol-guard';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Who may call a route: anyone, any signed-in user, or the listed roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

export const officeOnly: readonly Role[] = ['dispatcher', 'supervisor', 'admin'];

type PrincipalFor<A extends Access> = A extends 'public' ? null : Principal;

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Access> {
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  readonly principal: PrincipalFor<A>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A extends Access,
> {
  readonly method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'>;
  /** Fastify form, e.g. /api/v1/jobs/:id. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: A;
  /** Sync routes refuse clients speaking an older protocol than the server supports. */
  readonly syncProtocol?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** A raw byte body (blobs); described in OpenAPI, streamed to the handler as request.body. */
  readonly binaryBody?: { readonly contentTypes: readonly string[] };
  /** Largest accepted body in bytes; JSON_BODY_LIMIT unless said. Binary bodies enforce their own. */
  readonly bodyLimit?: number;
  readonly response: {
    readonly status: number;
    readonly description: string;
    readonly schema?: R;
    /** For byte answers (blobs) the handler sends the reply itself. */
    readonly binary?: boolean;
  };
  readonly handler: (input: RouteInput<P, Q, B, A>) => Promise<z.output<R> | FastifyReply>;
}

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  if (!schema) return value as z.output<S>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, where === 'body' ? undefined : where);
  const words = errors.map((entry) => (entry.path ? `${entry.path}: ${entry.message}` : entry.message)).join('; ');
  throw problems.validation(`Check the request ${where}: ${words}.`, errors);
}

function allows(access: Access, role: Role): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return access.includes(role);
}

function refusal(access: readonly Role[]): string {
  const everyOfficeRole = officeOnly.every((role) => access.includes(role));
  if (everyOfficeRole && access.every(isOfficeRole)) return 'Only office users (dispatcher, supervisor, admin) may do this.';
  return `Only these roles may do this: ${access.join(', ')}.`;
}

/**
 * Declares each API route once: the same zod schemas validate the request, type the handler
 * and describe the route in the OpenAPI document, so the document cannot drift from the code.
 */
export function createApiRouter(app: FastifyInstance, context: ServerContext) {
  const described: DescribedRoute[] = [];

  function route<
    P extends z.ZodType = z.ZodType,
    Q extends z.ZodType = z.ZodType,
    B extends z.ZodType = z.ZodType,
    R extends z.ZodType = z.ZodType,
    A extends Access = Access,
  >(spec: RouteSpec<P, Q, B, R, A>): void {
    described.push({
      method: spec.method,
      url: spec.url,
      summary: spec.summary,
      tag: spec.tag,
      secured: spec.access !== 'public',
      syncProtocol: spec.syncProtocol ?? false,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      binaryBody: spec.binaryBody?.contentTypes,
      response: spec.response,
    });

    app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.binaryBody ? {} : { bodyLimit: spec.bodyLimit ?? JSON_BODY_LIMIT }),
      preHandler: async (request) => {
        if (spec.syncProtocol) requireSupportedProtocol(request);
        if (spec.access === 'public') return;
        const principal = await authenticate(context, request);
        if (!allows(spec.access, principal.role)) throw problems.forbidden(refusal(spec.access as readonly Role[]));
        request.principal = principal;
      },
      handler: async (request, reply) => {
        const input: RouteInput<P, Q, B, A> = {
          params: parsePart(spec.params, request.params, 'params'),
          query: parsePart(spec.query, request.query, 'query'),
          body: spec.binaryBody ? (request.body as z.output<B>) : parsePart(spec.body, request.body, 'body'),
          principal: request.principal as PrincipalFor<A>,
          request,
          reply,
        };
        const result = await spec.handler(input);
        if (result === reply || spec.response.binary) return reply;
        reply.code(spec.response.status);
        if (!spec.response.schema) return reply.send();
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(result));
      },
    });
  }

  return { route, described: (): readonly DescribedRoute[] => described };
}

export type ApiRouter = ReturnType<typeof createApiRouter>;
