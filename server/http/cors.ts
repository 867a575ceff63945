import type { FastifyInstance } from 'fastify';
import { PROTOCOL_HEADER, PULL_NEXT_CURSOR_HEADER } from '../../shared/sync/protocol';

/** The app's own origins: the Electron custom protocol and the Vite dev server. */
export const appOrigins = ['app://reclaim', 'http://localhost:5173'] as const;

const allowedMethods = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const allowedHeaders = `authorization, content-type, ${PROTOCOL_HEADER}`;

/**
 * Cross-origin access for the app's own origins only. A few lines of hook instead of a
 * dependency: the rules are fixed and small. `origins` is read per request because the server's
 * own origin is known only once it listens (port 0 in tests).
 */
export function allowAppOrigins(app: FastifyInstance, origins: () => ReadonlySet<string>): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !origins().has(origin)) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', `content-length, etag, ${PULL_NEXT_CURSOR_HEADER}`);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply
        .header('access-control-allow-methods', allowedMethods)
        .header('access-control-allow-headers', allowedHeaders)
        .header('access-control-max-age', '600')
        .code(204)
        .send();
      return reply;
    }
  });
}
