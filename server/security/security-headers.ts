import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The policy for the web app the server serves (the same app as the desktop one). It matches
 * the page's own meta policy and the desktop shell's: the sync server may be another origin,
 * photos are data:/blob: URLs and map tiles are https images. When both a header and a meta
 * policy apply, the browser enforces both, so neither may be looser than the other needs.
 */
export const webAppContentSecurityPolicy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:', 'https:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'http:', 'https:'],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Helmet's headers on every answer (API, web app, problems): no framing, no MIME sniffing, no
 * referrer leaks, HSTS where the server runs behind TLS. And no API answer is kept in an HTTP
 * cache: pull pages, job lists, exports, photos and signatures carry customers' names,
 * addresses, phone numbers and homes, and sign-in answers carry tokens. Chromium (the desktop
 * app's and a browser's) otherwise writes them to its disk cache in plain text, where they
 * outlive sign-out and a revoked device's wipe, which clear only what the app stores itself.
 */
export async function sendSecurityHeaders(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  await app.register(helmet, {
    // Explicit directives only: helmet's defaults add upgrade-insecure-requests, which would
    // break a sync server reached over plain http on a local network.
    contentSecurityPolicy: { useDefaults: false, directives: webAppContentSecurityPolicy },
    // Blobs and region packs are fetched by the desktop app from its app:// origin; requests
    // carry a bearer header, not cookies, so cross-origin reads expose nothing ambient.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: { maxAge: 180 * 24 * 60 * 60, includeSubDomains: true },
  });
}
