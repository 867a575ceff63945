import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { Health } from '../../shared/api/health';
import { PROTOCOL_VERSION, PULL_NEXT_CURSOR_HEADER } from '../../shared/sync/protocol';
import { APP_VERSION } from '../../shared/version';
import { startTestServer, type TestServer } from './helpers/server';
import { testStore } from './helpers/test-database';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ demo: false });
});
afterAll(() => server.close());

const Operation = z.looseObject({
  summary: z.string().min(1),
  // Error answers are shared responses, referenced by $ref (openapi-passes-redocly-recommended-lint checks them).
  responses: z.record(z.string(), z.union([z.looseObject({ description: z.string() }), z.object({ $ref: z.string() })])),
  parameters: z.array(z.looseObject({ name: z.string(), in: z.string() })),
  requestBody: z.looseObject({ content: z.record(z.string(), z.unknown()) }).optional(),
});
const Document = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), Operation)),
});

it('publishes an OpenAPI 3.1 document covering every route, from the zod schemas', async () => {
  const answer = await server.api('/api/v1/openapi.json');
  expect(answer.status).toBe(200);
  const document = Document.parse(answer.body);
  expect(document.info.version).toBe(APP_VERSION);
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
  expect(operations.sort()).toEqual(
    [
      'GET /api/v1/health',
      'GET /api/v1/openapi.json',
      'POST /api/v1/auth/login',
      'GET /api/v1/auth/me',
      'POST /api/v1/auth/logout',
      'GET /api/v1/users',
      'GET /api/v1/jobs',
      'GET /api/v1/jobs/counts',
      'GET /api/v1/clients',
      'POST /api/v1/jobs',
      'GET /api/v1/jobs/{id}',
      'GET /api/v1/jobs/{id}/custody',
      'GET /api/v1/jobs/{id}/custody/rejections',
      'GET /api/v1/jobs/{id}/personal-property',
      'GET /api/v1/jobs/{id}/receipts',
      'PATCH /api/v1/jobs/{id}',
      'GET /api/v1/people',
      'POST /api/v1/sync/push',
      'GET /api/v1/sync/pull',
      'PUT /api/v1/blobs/{sha256}',
      'HEAD /api/v1/blobs/{sha256}',
      'GET /api/v1/blobs/{sha256}',
      'GET /api/v1/regions',
      'GET /api/v1/regions/{name}',
      'POST /api/v1/jobs/import',
      'POST /api/v1/jobs/assignments',
      'POST /api/v1/jobs/hold-or-cancel',
      'GET /api/v1/review-inbox',
      'POST /api/v1/review-inbox/{id}/clear',
      'GET /api/v1/dispatch/audit',
      'GET /api/v1/dispatch/map-points',
      'GET /api/v1/dispatch/map-view',
      'GET /api/v1/dispatch/map-agents',
      'GET /api/v1/events',
      'POST /api/v1/auth/refresh',
      'POST /api/v1/auth/logout-all',
      'GET /api/v1/admin/users',
      'POST /api/v1/admin/users',
      'PATCH /api/v1/admin/users/{id}',
      'POST /api/v1/admin/users/{id}/password',
      'GET /api/v1/admin/devices',
      'POST /api/v1/admin/devices/{id}/revoke',
      'POST /api/v1/admin/devices/{id}/release',
      'GET /api/v1/custody/search',
      'GET /api/v1/custody/items/{itemId}',
      'POST /api/v1/custody/items/{itemId}/disposition',
      'GET /api/v1/custody/export/bundle',
      'GET /api/v1/custody/export/pdf',
      'GET /api/v1/custody/export/csv',
      'GET /api/v1/audit',
      'GET /api/v1/audit/export.csv',
      'GET /api/v1/supervise/dashboard',
      'GET /api/v1/clients/{id}/requirements',
      'PUT /api/v1/clients/{id}/requirements',
      'GET /api/v1/clients/{id}/contact',
      'PUT /api/v1/clients/{id}/contact',
      'GET /api/v1/org/signing-key',
      'GET /api/v1/org/signing-key/history',
      'POST /api/v1/org/signing-key/rotate',
      'GET /api/v1/custody/log/checkpoint',
      'GET /api/v1/custody/log/inclusion',
      'GET /api/v1/custody/log/consistency',
    ].sort(),
  );

  const createJob = document.paths['/api/v1/jobs']?.post;
  const body = z.looseObject({ required: z.array(z.string()), properties: z.record(z.string(), z.unknown()) })
    .parse((createJob?.requestBody?.content['application/json'] as { schema: unknown }).schema);
  expect(body.required).toEqual(expect.arrayContaining(['clientId', 'customer', 'address', 'items', 'timeZone']));
  expect(createJob?.responses['201']).toBeDefined();

  const pull = document.paths['/api/v1/sync/pull']?.get;
  expect(pull?.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(['query:cursor', 'query:limit', 'query:remaining', 'header:x-reclaim-protocol']);
  // The answer's header that names the next page's cursor is part of the contract, so it is described.
  expect(pull?.responses['200']).toMatchObject({ headers: { [PULL_NEXT_CURSOR_HEADER]: { schema: { type: 'string' } } } });
  expect(document.paths['/api/v1/jobs/{id}']?.get?.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
});

it('answers health without signing in', async () => {
  const health = Health.parse((await server.api('/api/v1/health')).body);
  expect(health).toMatchObject({ status: 'ok', version: APP_VERSION, protocolVersion: PROTOCOL_VERSION, store: testStore });
});
