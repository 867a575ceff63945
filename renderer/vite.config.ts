import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(rendererDir, '../dist/renderer');
const serviceWorkerSource = path.join(rendererDir, 'service-worker/sw.js');

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/**
 * Writes sw.js after the bundle is on disk, so the precache list is exactly what shipped
 * (hashed assets, index.html, public files) and the cache name changes whenever any byte does.
 * Paths stay relative so the worker serves the app under any base path.
 */
function precacheServiceWorker(): Plugin {
  return {
    name: 'reclaim-precache-service-worker',
    apply: 'build',
    writeBundle() {
      const files = listFiles(outDir).filter((file) => file !== 'sw.js' && !file.endsWith('.map'));
      const hash = createHash('sha256');
      for (const file of files.sort()) hash.update(file).update(readFileSync(path.join(outDir, file)));
      const header =
        `const CACHE_NAME = 'reclaim-shell-${hash.digest('hex').slice(0, 16)}';\n` +
        `const PRECACHE = ${JSON.stringify(['./', ...files])};\n`;
      writeFileSync(path.join(outDir, 'sw.js'), header + readFileSync(serviceWorkerSource, 'utf8'));
    },
  };
}

/**
 * The dev server's React refresh preamble is an inline script and HMR talks over a websocket;
 * the shipped policy allows neither, so only the dev server loosens it.
 */
function devContentSecurityPolicy(): Plugin {
  return {
    name: 'reclaim-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: wss:");
    },
  };
}

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs work from http://host/, from a sub-path and from app://reclaim/.
  base: './',
  plugins: [react(), devContentSecurityPolicy(), precacheServiceWorker()],
  build: {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
    },
  },
});
