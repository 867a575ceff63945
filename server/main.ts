import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HybridLogicalClock } from '../shared/sync/hlc';
import { buildApp } from './app';
import type { ServerContext } from './context';
import { demoStaffPresent, seedDemoOrganisation } from './demo/seed-demo';
import { appOrigins } from './http/cors';
import type { LoginThrottlePolicy } from './security/login-throttle';
import { defaultRequestLimits, type RequestLimits } from './security/request-limits';
import { folderBlobStore } from './blobs/blob-store';
import type { S3BlobStoreConfig } from './blobs/s3-blob-store';
import { keepStatistics, type StatisticsKeeperOptions } from './store/statistics-keeper';
import { listenForChanges, noChangeNotifications, type ChangeNotifications } from './cluster/change-notifications';
import { createDatabase, isPostgresUrl, redactDatabaseUrl, type DatabaseConfig } from './store/database';
import { KEY_ENCRYPTION_KEY_ENV, loadOfficeKeyVault } from './supervise/office-key-vault';
import { sealOfficeKeysAtRest } from './supervise/office-signing-keys';
import { certifyUncertifiedDeviceKeys } from './trust/device-certificates';
import { loadOrgSigningKey } from './trust/org-signing-key';

export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Refreshing keeps a session alive at most this long after the password was typed. */
export const DEFAULT_SESSION_MAX_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;

export interface StartServerOptions {
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly host?: string;
  /** Holds reclaim.sqlite and blobs/; created when missing. */
  readonly dataDir: string;
  /**
   * postgres://user:password@host:5432/name runs the server on PostgreSQL (several instances may
   * share one database); absent, the embedded SQLite file in dataDir. The CLI reads DATABASE_URL.
   */
  readonly databaseUrl?: string | undefined;
  /**
   * How often an open live view re-reads the change log when no notification woke it; on
   * PostgreSQL a commit on any instance wakes it at once, so this is only the safety net.
   */
  readonly livePollMs?: number;
  /** On PostgreSQL, how often and past what growth tables are analysed (statistics-keeper.ts). */
  readonly statistics?: StatisticsKeeperOptions;
  /** Proxies (addresses or CIDRs) allowed to set X-Forwarded-For; the CLI reads RECLAIM_TRUST_PROXY. */
  readonly trustProxy?: readonly string[] | undefined;
  /** Keep photos and signatures in this S3-compatible bucket instead of dataDir/blobs. */
  readonly s3?: S3BlobStoreConfig | null | undefined;
  /** Seed the demo organisation when the database has no users yet. */
  readonly demo?: boolean;
  /** A built renderer (dist/renderer) to serve at /. */
  readonly appDir?: string;
  /** The wall clock; tests move it forward to expire sessions. */
  readonly now?: () => Date;
  readonly sessionTtlMs?: number;
  readonly sessionMaxLifetimeMs?: number;
  /** Origins allowed besides the app's own (app://reclaim, the server itself, the Vite dev server). */
  readonly extraOrigins?: readonly string[];
  readonly logger?: boolean;
  /** Failed sign-in limits per account and per address (tests tighten them). */
  readonly loginThrottle?: LoginThrottlePolicy;
  /** Request timeouts and live-stream limits (tests shorten them); each unset one keeps its default. */
  readonly requestLimits?: Partial<RequestLimits>;
  /** Nominatim-compatible geocoder for imports; defaults to RECLAIM_GEOCODER_URL. */
  readonly geocoderUrl?: string;
  /**
   * Seals office signing keys at rest: 32 bytes in base64, defaulting to RECLAIM_KEY_ENCRYPTION_KEY;
   * when neither is set, a key file made in dataDir on first start. Instances on one PostgreSQL
   * must share it.
   */
  readonly keyEncryptionKey?: string;
  /** Told as each start-up step finishes, so `npm start` can say what it is doing. */
  readonly onStep?: (step: StartStep) => void;
}

/**
 * A finished start-up step. The demo is `created` on first start, `present` when an earlier
 * start made it, and `absent` when the database holds another organisation's users.
 */
export type StartStep =
  | { readonly step: 'database'; readonly store: 'sqlite' | 'postgres'; readonly location: string }
  | { readonly step: 'demo'; readonly demo: 'created' | 'present' | 'absent' };

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  readonly url: string;
  readonly store: 'sqlite' | 'postgres';
  readonly blobs: 'folder' | 's3';
  readonly dataDir: string;
  /** Where the key-encryption key came from; a key file on PostgreSQL deserves a warning. */
  readonly keyEncryptionKey: 'environment' | 'file';
  close(): Promise<void>;
}

function databaseConfig(databaseUrl: string | undefined, dataDir: string): DatabaseConfig {
  if (databaseUrl === undefined || databaseUrl === '') return { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') };
  if (!isPostgresUrl(databaseUrl)) {
    throw new Error('The database URL must start with postgres:// (leave it unset to use the embedded SQLite store).');
  }
  return { kind: 'postgres', url: databaseUrl };
}

/** Starts the sync server in this process: migrate, seed (optionally), listen. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const dataDir = resolve(options.dataDir);
  const blobDir = join(dataDir, 'blobs');
  await mkdir(join(blobDir, 'tmp'), { recursive: true });
  const regionDir = join(dataDir, 'regions');
  await mkdir(regionDir, { recursive: true });
  const database = databaseConfig(options.databaseUrl, dataDir);
  // A malformed key-encryption key stops the start before the database is touched.
  const officeKeys = await loadOfficeKeyVault(options.keyEncryptionKey ?? process.env[KEY_ENCRYPTION_KEY_ENV], dataDir);
  const store = await createDatabase(database);
  options.onStep?.({ step: 'database', store: store.kind, location: database.kind === 'sqlite' ? database.file : redactDatabaseUrl(database.url) });
  let changeNotifications: ChangeNotifications = noChangeNotifications;
  // SQLite plans each statement as it prepares it; PostgreSQL keeps plans, see statistics-keeper.ts.
  const statistics = database.kind === 'postgres' ? keepStatistics(store.db, options.statistics) : undefined;
  const closeStore = async () => {
    await statistics?.close();
    await changeNotifications.close();
    await store.close();
  };
  try {
    // Instances sharing one PostgreSQL hear each other's commits; one SQLite process has no peers.
    if (database.kind === 'postgres') changeNotifications = await listenForChanges(database.url);
    await sealOfficeKeysAtRest(store.db, officeKeys);
    const now = options.now ?? (() => new Date());
    // Made by the first instance to start, read by every other; refuses a key-encryption key that cannot unseal it.
    const orgKey = await loadOrgSigningKey({ db: store.db, vault: officeKeys, now });
    const context: ServerContext = {
      store,
      now,
      clock: new HybridLogicalClock('server', () => now().getTime()),
      sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
      sessionMaxLifetimeMs: options.sessionMaxLifetimeMs ?? DEFAULT_SESSION_MAX_LIFETIME_MS,
      // The AWS SDK takes most of a second to load; only a server configured for S3 pays for it.
      blobs: options.s3 ? (await import('./blobs/s3-blob-store')).s3BlobStore(options.s3) : folderBlobStore(blobDir),
      changeNotifications,
      ...(options.livePollMs ? { livePollMs: options.livePollMs } : {}),
      geocoderUrl: options.geocoderUrl ?? process.env.RECLAIM_GEOCODER_URL,
      regionDir,
      officeKeys,
      orgKey,
      ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
      requestLimits: { ...defaultRequestLimits, ...options.requestLimits },
    };
    if (options.demo) {
      const created = await seedDemoOrganisation(context);
      options.onStep?.({ step: 'demo', demo: created ? 'created' : (await demoStaffPresent(store.db)) ? 'present' : 'absent' });
    }
    // Keys from before certificates existed (and the demo's) are certified before anyone asks.
    await certifyUncertifiedDeviceKeys(store.db, orgKey, now().toISOString());
    const origins = new Set<string>([...appOrigins, ...(options.extraOrigins ?? [])]);
    const app = await buildApp(context, {
      appDir: options.appDir,
      origins: () => origins,
      logger: options.logger ?? false,
      trustProxy: options.trustProxy,
    });
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
      blobs: context.blobs.kind,
      dataDir,
      keyEncryptionKey: officeKeys.source.kind,
      close: () => {
        closing ??= app.close().then(closeStore);
        return closing;
      },
    };
  } catch (error) {
    await closeStore();
    throw error;
  }
}
