import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HybridLogicalClock } from '../shared/sync/hlc';
import { buildApp } from './app';
import type { ServerContext } from './context';
import { seedDemoOrganisation } from './demo/seed-demo';
import { appOrigins } from './http/cors';
import type { LoginThrottlePolicy } from './security/login-throttle';
import { createDatabase } from './store/database';

export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface StartServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** Holds reclaim.sqlite and blobs/; created when missing. */
  readonly dataDir: string;
  /** Seed the demo organisation when the database has no users yet. */
  readonly demo?: boolean;
  /** A built renderer (dist/renderer) to serve at /. */
  readonly appDir?: string;
  /** The wall clock; tests move it forward to expire sessions. */
  readonly now?: () => Date;
  readonly sessionTtlMs?: number;
  /** Origins allowed besides the app's own (app://reclaim, the server itself, the Vite dev server). */
  readonly extraOrigins?: readonly string[];
  readonly logger?: boolean;
  /** Failed sign-in limits per account and per address (tests tighten them). */
  readonly loginThrottle?: LoginThrottlePolicy;
  /** Nominatim-compatible geocoder for imports; defaults to RECLAIM_GEOCODER_URL. */
  readonly geocoderUrl?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  readonly store: 'sqlite' | 'postgres';
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Starts the sync server in this process: migrate, seed (optionally), listen. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  const blobDir = join(dataDir, 'blobs');
  await mkdir(join(blobDir, 'tmp'), { recursive: true });
  const regionDir = join(dataDir, 'regions');
  await mkdir(regionDir, { recursive: true });
  const store = await createDatabase({ kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
  const now = options.now ?? (() => new Date());
  const context: ServerContext = {
    store,
    now,
    clock: new HybridLogicalClock('server', () => now().getTime()),
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    blobDir,
    geocoderUrl: options.geocoderUrl ?? process.env.RECLAIM_GEOCODER_URL,
    regionDir,
    ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
  };
  try {
    if (options.demo) await seedDemoOrganisation(context);
    const origins = new Set<string>([...appOrigins, ...(options.extraOrigins ?? [])]);
    const app = await buildApp(context, { appDir: options.appDir, origins: () => origins, logger: options.logger ?? false });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    origins.add(url);
    if (host === '127.0.0.1') origins.add(`http://localhost:${port}`);
    let closing: Promise<void> | undefined;
    return {
      url,
      store: store.kind,
      dataDir,
      close: () => {
        closing ??= app.close().then(() => store.close());
        return closing;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
