import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { resolveAppFile } from './app-files';
import { APP_SCHEME, contentSecurityPolicy } from './security';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Must run before the app is ready. A standard, secure scheme gets its own stable origin
 * (app://reclaim), so IndexedDB survives app updates, unlike file:// whose origin is opaque.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': mimeTypes[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': contentSecurityPolicy,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      // Client-side routes fall back to the app shell.
      const shell = await readFile(path.join(rendererDir, 'index.html'));
      return new Response(shell, {
        headers: { 'content-type': mimeTypes['.html'] ?? 'text/html', 'content-security-policy': contentSecurityPolicy },
      });
    }
  });
}
