import 'fake-indexeddb/auto';
import { LoginResponse } from '../../../shared/api/auth';
import { newId } from '../../../shared/ids';
import { ensureDeviceId } from '../../../renderer/db/device';
import { JobsRepository } from '../../../renderer/db/jobs-repository';
import { ReclaimDatabase } from '../../../renderer/db/schema';
import { saveStoredSession } from '../../../renderer/db/session-repository';
import { DoorRepository } from '../../../renderer/features/capture/door-repository';
import { CustodyRecorder } from '../../../renderer/features/custody/custody-recorder';
import { createApiClient, type SyncApi } from '../../../renderer/sync/api-client';
import { createBlobApi } from '../../../renderer/sync/blob-api';
import { BlobQueue } from '../../../renderer/sync/blob-queue';
import { SyncEngine } from '../../../renderer/sync/engine';

export const demoPassword = 'demo1234';

/** Signs in straight at the server (not through the proxy): sign-in is not what is under test. */
export async function signIn(serverUrl: string, username: string, deviceId: string = newId()): Promise<LoginResponse> {
  const response = await fetch(`${serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword, deviceId }),
  });
  if (response.status !== 200) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`);
  return LoginResponse.parse(await response.json());
}

export interface FieldLaptop {
  readonly name: string;
  readonly username: string;
  readonly login: LoginResponse;
  readonly db: ReclaimDatabase;
  readonly engine: SyncEngine;
  readonly jobs: JobsRepository;
  readonly door: DoorRepository;
  /** Signs custody events with this laptop's own Ed25519 device key (WebCrypto, made on first use). */
  readonly custody: CustodyRecorder;
  readonly blobs: BlobQueue;
}

export interface FieldLaptopOptions {
  name: string;
  username: string;
  serverUrl: string;
  syncUrl: string;
  pushBatchSize?: number;
  pullLimit?: number;
  /** The laptop's wall clock (a laptop with a wrong date). */
  now?: () => Date;
  /** Wraps the real API client, e.g. to corrupt a page. */
  wrapApi?: (api: SyncApi) => SyncApi;
  fetch?: typeof fetch;
  /** Runs before the database is first opened, e.g. to add a Dexie middleware. */
  prepareDb?: (db: ReclaimDatabase) => void;
}

/**
 * The app's own database, repositories and sync engine on fake-indexeddb, signed in as
 * `username`, talking to `syncUrl` (usually a fault proxy in front of the server).
 */
export async function fieldLaptop(options: FieldLaptopOptions): Promise<FieldLaptop> {
  const db = new ReclaimDatabase(`${options.name}-${newId()}`);
  options.prepareDb?.(db);
  // Signed in as the app signs in: under this laptop's own device id, the one its key names.
  const login = await signIn(options.serverUrl, options.username, await ensureDeviceId(db));
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: options.serverUrl });
  const getToken = async () => login.token;
  const transport = options.fetch ? { fetch: options.fetch } : {};
  const api = createApiClient({ baseUrl: options.syncUrl, getToken, timeoutMs: 10_000, ...transport });
  const now = options.now ?? (() => new Date());
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: options.syncUrl, getToken, ...transport }), () => now().getTime());
  const engine = new SyncEngine({ db, api: options.wrapApi ? options.wrapApi(api) : api, blobs, now, pushBatchSize: options.pushBatchSize ?? 4, pullLimit: options.pullLimit ?? 25 });
  return { name: options.name, username: options.username, login, db, engine, jobs: new JobsRepository(db, now), door: new DoorRepository(db, now), custody: new CustodyRecorder(db, crypto.subtle, now), blobs };
}

/** The planner's seeded generator: the same sequence for the same seed everywhere. */
export { seededRandom } from '../../../shared/route/random';
