import path from 'node:path';
import { APP_HOST } from './security';

/** Resolves a request path inside the renderer folder, refusing anything that escapes it. */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  const url = new URL(requestUrl);
  if (url.host !== APP_HOST) return null;
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const resolved = path.resolve(rendererDir, relative);
  if (resolved !== rendererDir && !resolved.startsWith(rendererDir + path.sep)) return null;
  return resolved;
}
