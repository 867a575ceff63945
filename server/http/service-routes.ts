import { z } from 'zod';
import { Health } from '../../shared/api/health';
import { PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { APP_VERSION } from '../../shared/version';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from './api-router';
import { buildOpenApiDocument } from './openapi';

const OpenApiDocument = z.record(z.string(), z.unknown());

export function registerServiceRoutes(api: ApiRouter, context: ServerContext): void {
  api.route({
    method: 'GET',
    url: '/api/v1/health',
    summary: 'Whether the server is up, and which versions it speaks',
    tag: 'service',
    action: 'service.read',
    response: { status: 200, description: 'The server is up', schema: Health },
    handler: async () => ({
      status: 'ok' as const,
      version: APP_VERSION,
      protocolVersion: PROTOCOL_VERSION,
      store: context.store.kind,
      serverTime: nowIso(context),
    }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/openapi.json',
    summary: 'This document',
    tag: 'service',
    action: 'service.read',
    response: { status: 200, description: 'The OpenAPI 3.1 document', schema: OpenApiDocument },
    handler: async () => buildOpenApiDocument(api.described()),
  });
}
