import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoginResponse } from '../../../shared/api/auth';
import type { JobStatus } from '../../../shared/domain/job-status';
import { newId } from '../../../shared/ids';
import { HybridLogicalClock } from '../../../shared/sync/hlc';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type PushRequest } from '../../../shared/sync/protocol';
import { startServer, type StartServerOptions } from '../../../server/main';
import { createTestDatabase, dropTestDatabase, testStore } from './test-database';

export const DEMO_PASSWORD = 'demo1234';

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface ApiRequest {
  readonly method?: string;
  readonly token?: string;
  readonly json?: unknown;
  /** Send the sync protocol header (true = the current version). */
  readonly protocol?: boolean | string;
  readonly headers?: Record<string, string>;
  readonly body?: BodyInit;
}

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  readonly store: 'sqlite' | 'postgres';
  /** The PostgreSQL database the server runs on (RECLAIM_TEST_STORE=postgres), else undefined. */
  readonly databaseUrl: string | undefined;
  /** Moves the server's wall clock forward. */
  advanceClock(ms: number): void;
  api(path: string, request?: ApiRequest): Promise<ApiAnswer>;
  login(username: string, password?: string): Promise<LoginResponse>;
  close(): Promise<void>;
}

/**
 * A real server on a random port with the demo organisation, over a fresh SQLite file — or, when
 * RECLAIM_TEST_STORE=postgres, a fresh PostgreSQL database. A given dataDir (a restart) or
 * databaseUrl (a second instance on the same database) reuses that store.
 */
export async function startTestServer(
  options: Partial<Omit<StartServerOptions, 'port' | 'dataDir' | 'now'>> & {
    dataDir?: string;
    /** The server's clock stands still unless advanceClock moves it: for rules counted in seconds, on a machine of any speed. */
    frozenClock?: boolean;
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'reclaim-it-')));
  const ownsDatabase = testStore === 'postgres' && options.databaseUrl === undefined && options.dataDir === undefined;
  const databaseUrl = options.databaseUrl ?? (testStore === 'postgres' ? await createTestDatabase(options.dataDir) : undefined);
  let offsetMs = 0;
  const frozenAt = Date.now();
  const { frozenClock, ...serverOptions } = options;
  const now = () => new Date((frozenClock ? frozenAt : Date.now()) + offsetMs);
  const server = await startServer({ demo: true, ...serverOptions, databaseUrl, port: 0, host: '127.0.0.1', dataDir, now });

  const { api, login } = apiAt(server.url);

  return {
    url: server.url,
    dataDir,
    store: server.store,
    databaseUrl,
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    api,
    login,
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
      // Databases kept for a restart (a given dataDir) are dropped when the test file ends.
      if (ownsDatabase && databaseUrl) await dropTestDatabase(databaseUrl);
    },
  };
}

/** Calls a server at `url` over real HTTP: any server, this release's or another's. */
export function apiAt(url: string): Pick<TestServer, 'api' | 'login'> {
  async function api(path: string, request: ApiRequest = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    if (request.protocol) headers[PROTOCOL_HEADER] = request.protocol === true ? String(PROTOCOL_VERSION) : request.protocol;
    const response = await fetch(`${url}${path}`, {
      method: request.method ?? (request.json === undefined && request.body === undefined ? 'GET' : 'POST'),
      headers,
      body: request.json !== undefined ? JSON.stringify(request.json) : request.body,
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = text && type.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, headers: response.headers, body };
  }
  return {
    api,
    async login(username, password = DEMO_PASSWORD) {
      const answer = await api('/api/v1/auth/login', { json: { username, password, deviceId: `${username}-laptop` } });
      if (answer.status !== 200) throw new Error(`login as ${username} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return LoginResponse.parse(answer.body);
    },
  };
}

/** Makes outbox mutations the way the app does: fresh ids, a device's own HLC. */
export function deviceOutbox(deviceId: string) {
  const clock = new HybridLogicalClock(deviceId.replace(/[^A-Za-z0-9_-]/g, '-'));
  const envelope = () => ({ id: newId(), deviceId, clientTime: new Date().toISOString(), hlc: clock.now(), op: 'create' as const });
  return {
    note(jobId: string, text: string, byUserId: string) {
      return { ...envelope(), entity: 'jobNote' as const, data: { id: newId(), jobId, text, at: new Date().toISOString(), byUserId } };
    },
    statusChange(jobId: string, from: JobStatus, to: JobStatus, byUserId: string) {
      return {
        ...envelope(),
        entity: 'jobStatusChange' as const,
        data: { id: newId(), jobId, from, to, at: new Date().toISOString(), byUserId, reason: null },
      };
    },
    push(mutations: readonly { id: string }[]): PushRequest {
      return { protocolVersion: PROTOCOL_VERSION, deviceId, mutations: [...mutations] };
    },
  };
}
