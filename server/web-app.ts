import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolve } from 'node:path';

/**
 * Serves the built renderer at / so a browser can use the app from the server itself. Paths
 * that are not files fall back to index.html (client-side routes); /api paths never do, so a
 * mistyped API call gets a problem, not a page.
 */
export async function serveWebApp(app: FastifyInstance, appDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: resolve(appDir),
    wildcard: true,
    setHeaders(reply, path) {
      // The service worker and the page must be revalidated, or an old app outlives an update.
      if (path.endsWith('sw.js') || path.endsWith('index.html')) reply.header('cache-control', 'no-cache');
    },
  });
}

/**
 * For the not-found handler: a browser navigating to a client-side route (GET, not /api) gets
 * the app's page; answers false when the request should get a problem instead.
 */
export function answerWithAppPage(request: FastifyRequest, reply: FastifyReply): boolean {
  const path = request.url.split('?')[0] ?? '/';
  if (path.startsWith('/api/') || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
  void reply.header('cache-control', 'no-cache').sendFile('index.html');
  return true;
}
