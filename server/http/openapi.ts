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
  readonly response: { readonly status: number; readonly description: string; readonly schema?: z.ZodType | undefined; readonly binary?: boolean | undefined };
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

function operation(route: DescribedRoute): JsonSchema {
  const problemResponse = { description: 'A problem (RFC 9457)', content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
  const success = route.response.binary
    ? { description: route.response.description, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
    : route.response.schema
      ? { description: route.response.description, content: { 'application/json': { schema: jsonSchema(route.response.schema, 'output') } } }
      : { description: route.response.description };
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
    responses: { [String(route.response.status)]: success, default: problemResponse },
  };
}

/** The OpenAPI 3.1 document, built from the same zod schemas that validate the requests. */
export function buildOpenApiDocument(routes: readonly DescribedRoute[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Reclaim sync server',
      version: APP_VERSION,
      description: 'Jobs and dispatch, sync push/pull and the content-addressed blob store of Reclaim.',
    },
    paths,
    components: {
      schemas: { Problem: jsonSchema(Problem, 'output') },
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
