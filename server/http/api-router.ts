import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { z } from 'zod';
import { isAction, type Action, type PublicAction } from '../../shared/auth/role-matrix';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { JSON_BODY_LIMIT } from '../security/body-limits';
import { admit, type Grant } from './access-guard';
import { asciiJson } from './ascii-json';
import type { DescribedRoute, ProblemStatus } from './openapi';
import { fieldErrors, problems } from './problem';
import { requireSupportedProtocol } from './protocol-guard';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

type PrincipalFor<A extends Action> = A extends PublicAction ? null : Principal;
type GrantFor<A extends Action> = A extends PublicAction ? null : Grant;

export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends Action> {
  readonly params: z.output<P>;
  readonly query: z.output<Q>;
  readonly body: z.output<B>;
  readonly principal: PrincipalFor<A>;
  /** The caller's right to the route's action, with its scope check (e.g. requireJobInScope). */
  readonly grant: GrantFor<A>;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A extends Action,
> {
  readonly method: Extract<HTTPMethods, 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD'>;
  /** Fastify form, e.g. /api/v1/jobs/:id. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  /** What the route does, as the role matrix (shared/auth/role-matrix.ts) names it; the guard reads who may. */
  readonly action: A;
  /** Sync routes refuse clients speaking an older protocol than the server supports. */
  readonly syncProtocol?: boolean;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** A raw byte body (blobs); described in OpenAPI, streamed to the handler as request.body. */
  readonly binaryBody?: { readonly contentTypes: readonly string[] };
  /** Largest accepted body in bytes; JSON_BODY_LIMIT unless said. Binary bodies enforce their own. */
  readonly bodyLimit?: number;
  /**
   * Problems the handler itself may answer beyond those every route of its kind can (openapi.ts
   * adds 400, 401/403 when signed in, 404 with path parameters, 413/415 with a body, 426, 500).
   */
  readonly problems?: readonly ProblemStatus[];
  readonly response: {
    readonly status: number;
    readonly description: string;
    readonly schema?: R;
    /** For byte answers (blobs) the handler sends the reply itself. */
    readonly binary?: boolean;
    /** Headers the answer may carry, by name, in words (described in the OpenAPI document). */
    readonly headers?: Readonly<Record<string, string>>;
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

const grants = new WeakMap<FastifyRequest, Grant>();

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
    A extends Action = Action,
  >(spec: RouteSpec<P, Q, B, R, A>): void {
    // The type holds this for routes in TypeScript; the check holds it for anything else.
    if (!isAction(spec.action)) throw new Error(`${spec.method} ${spec.url} names no action of the role matrix (${String(spec.action)}).`);
    described.push({
      method: spec.method,
      url: spec.url,
      summary: spec.summary,
      tag: spec.tag,
      action: spec.action,
      syncProtocol: spec.syncProtocol ?? false,
      params: spec.params,
      query: spec.query,
      body: spec.body,
      binaryBody: spec.binaryBody?.contentTypes,
      problems: spec.problems ?? [],
      response: spec.response,
    });

    app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.binaryBody ? {} : { bodyLimit: spec.bodyLimit ?? JSON_BODY_LIMIT }),
      preHandler: async (request) => {
        if (spec.syncProtocol) requireSupportedProtocol(request);
        const admitted = await admit(context, request, spec.action);
        if (admitted) grants.set(request, admitted.grant);
      },
      handler: async (request, reply) => {
        const input: RouteInput<P, Q, B, A> = {
          params: parsePart(spec.params, request.params, 'params'),
          query: parsePart(spec.query, request.query, 'query'),
          body: spec.binaryBody ? (request.body as z.output<B>) : parsePart(spec.body, request.body, 'body'),
          principal: request.principal as PrincipalFor<A>,
          grant: (grants.get(request) ?? null) as GrantFor<A>,
          request,
          reply,
        };
        const result = await spec.handler(input);
        if (result === reply || spec.response.binary) return reply;
        reply.code(spec.response.status);
        if (!spec.response.schema) return reply.send();
        // As bytes: fastify would otherwise measure a string's UTF-8 length and then encode it
        // again to write it, two passes over a pull page of a megabyte where one does. ASCII
        // bytes (see asciiJson), so a browser reads the body without decoding it.
        return reply.type('application/json; charset=utf-8').send(asciiJson(result));
      },
    });
  }

  return { route, described: (): readonly DescribedRoute[] => described };
}

export type ApiRouter = ReturnType<typeof createApiRouter>;
