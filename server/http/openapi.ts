import { z } from 'zod';
import { Problem, PROBLEM_CONTENT_TYPE } from '../../shared/api/problem';
import { isPublicAction, rolesFor, scopeOf, scopeMeanings, type Action } from '../../shared/auth/role-matrix';
import { PROTOCOL_HEADER } from '../../shared/sync/protocol';
import { APP_VERSION } from '../../shared/version';

/** What the router remembers of each route to describe it. */
export interface DescribedRoute {
  readonly method: string;
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  /** The role matrix's action: who may call it, and how far their right reaches. */
  readonly action: Action;
  readonly syncProtocol: boolean;
  readonly params: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
  readonly body: z.ZodType | undefined;
  readonly binaryBody: readonly string[] | undefined;
  /** Problems its handler answers beyond those every route of its kind can. */
  readonly problems: readonly ProblemStatus[];
  readonly response: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType | undefined;
    readonly binary?: boolean | undefined;
    readonly headers?: Readonly<Record<string, string>> | undefined;
  };
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // draft 2020-12 is the dialect OpenAPI 3.1 uses; refinements have no JSON Schema form and are
  // left out (the server still enforces them).
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const described = jsonSchema(schema, 'input');
  const properties = (described.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((described.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (required.has(name) && !('default' in property)),
    schema: property,
  }));
}

/**
 * Who may call an operation, from the role matrix: `x-reclaim-action` names the right,
 * `x-reclaim-roles` maps each role that holds it to its scope (absent roles get 403), and
 * `x-reclaim-public` marks operations that need no sign-in.
 */
function accessExtensions(action: Action): JsonSchema {
  return {
    'x-reclaim-action': action,
    'x-reclaim-public': isPublicAction(action),
    'x-reclaim-roles': Object.fromEntries(rolesFor(action).map((role) => [role, scopeOf(action, role)])),
  };
}

/**
 * Each error status an operation may answer, as a reusable response: a problem+json body whose
 * `code` says which of our reasons it is. A generated client learns every answer it must handle.
 */
const problemResponses = {
  400: { name: 'BadRequest', description: 'The request is not valid (validation): a field, the query, the JSON, or text with a control character' },
  401: { name: 'Unauthenticated', description: 'No valid session (unauthenticated, session_expired), or for sign-in a wrong user name or password (invalid_credentials)' },
  403: { name: 'Forbidden', description: "The caller's role may not do this, the account is disabled (forbidden), or the device was revoked (device_revoked)" },
  404: { name: 'NotFound', description: 'Nothing by that name, or nothing the caller may see (not_found); the two are answered alike' },
  409: { name: 'Conflict', description: 'The request conflicts with the current state of the records (conflict)' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this operation accepts (payload_too_large)' },
  415: { name: 'UnsupportedMediaType', description: 'The body is of a content type this operation does not read (unsupported_media_type)' },
  422: { name: 'UnprocessableContent', description: 'The bytes sent do not hash to the name they were sent under (validation)' },
  426: { name: 'UpgradeRequired', description: 'The app speaks an older sync protocol than the server supports (client_too_old)' },
  429: { name: 'TooManyRequests', description: 'Too many attempts or open streams (rate_limited, too_many_streams); Retry-After says when to try again' },
  500: { name: 'InternalError', description: 'Something went wrong on the server (internal); no detail of it is given' },
  503: { name: 'Busy', description: 'Two changes to the same records met on PostgreSQL and this one was rolled back whole (internal); send it again after Retry-After' },
} as const;

export type ProblemStatus = keyof typeof problemResponses;

const bodyMethods: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The error statuses of one operation: those every route of its kind can answer, and those its handler declares. */
export function problemStatusesOf(route: DescribedRoute): ProblemStatus[] {
  const statuses = new Set<ProblemStatus>([400, 500, ...route.problems]);
  if (!isPublicAction(route.action)) {
    statuses.add(401);
    statuses.add(403);
  }
  if (route.params) statuses.add(404);
  if (bodyMethods.has(route.method)) {
    statuses.add(413);
    statuses.add(415);
    // A write is a transaction, and on PostgreSQL two may meet and one be rolled back to retry.
    statuses.add(503);
  }
  if (route.syncProtocol) statuses.add(426);
  return [...statuses].sort((a, b) => a - b);
}

function operation(route: DescribedRoute): JsonSchema {
  const problemResponse = { description: 'Any other problem (RFC 9457), such as 405, 408, 414 or 431 for a request the server cannot read', content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
  const errors = Object.fromEntries(problemStatusesOf(route).map((status) => [String(status), { $ref: `#/components/responses/${problemResponses[status].name}` }]));
  const success = route.response.binary
    ? { description: route.response.description, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
    : route.response.schema
      ? { description: route.response.description, content: { 'application/json': { schema: jsonSchema(route.response.schema, 'output') } } }
      : { description: route.response.description };
  const headers = route.response.headers
    ? { headers: Object.fromEntries(Object.entries(route.response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
    : {};
  const protocolHeader = route.syncProtocol
    ? [{ name: PROTOCOL_HEADER, in: 'header', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The sync protocol version the client speaks.' }]
    : [];
  const body = route.binaryBody
    ? { required: true, content: Object.fromEntries(route.binaryBody.map((type) => [type, { schema: { type: 'string', contentMediaType: type } }])) }
    : route.body
      ? { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } }
      : undefined;
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method.toLowerCase()}${route.url.replace(/^\/api\/v1/, '').replace(/[/:]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...protocolHeader],
    ...(body ? { requestBody: body } : {}),
    ...(isPublicAction(route.action) ? { security: [] } : { security: [{ bearer: [] }] }),
    ...accessExtensions(route.action),
    responses: { [String(route.response.status)]: { ...success, ...headers }, ...errors, default: problemResponse },
  };
}

/** The OpenAPI 3.1 document, built from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(routes: readonly DescribedRoute[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const used = new Set<ProblemStatus>();
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
    for (const status of problemStatusesOf(route)) used.add(status);
  }
  const responses = Object.fromEntries(
    [...used]
      .sort((a, b) => a - b)
      .map((status) => [problemResponses[status].name, { description: problemResponses[status].description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } }]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reclaim sync server',
      version: APP_VERSION,
      description: 'Jobs and dispatch, sync push/pull and the content-addressed blob store of Reclaim.',
    },
    // Relative: the server that serves this document serves the API, wherever it is deployed.
    servers: [{ url: '/', description: 'The server that published this document' }],
    paths,
    components: {
      schemas: { Problem: jsonSchema(Problem, 'output') },
      responses,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `The token from POST /api/v1/auth/login. Each operation's x-reclaim-roles says which roles may call it and how far: ${Object.entries(scopeMeanings).map(([scope, meaning]) => `"${scope}" = ${meaning}`).join('; ')}.`,
        },
      },
    },
  };
}
