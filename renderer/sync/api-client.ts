import type { z } from 'zod';
import { LoginResponse, MeResponse, type LoginRequest } from '../../shared/api/auth';
import { Problem } from '../../shared/api/problem';
import { fromHex } from '../../shared/custody/crypto-port';
import { Cursor, PROTOCOL_HEADER, PROTOCOL_VERSION, PULL_NEXT_CURSOR_HEADER, PushResponse, type Mutation } from '../../shared/sync/protocol';
import { ConsistencyProofAnswer, OrgKeyHistory, OrgSigningKeyInfo } from '../../shared/api/trust';
import type { CustodyLogApi } from './custody-log-watch';
import { SyncError } from './sync-error';

export interface ApiClientOptions {
  /** The sync server's origin, e.g. http://127.0.0.1:8787 (a trailing slash is fine). */
  baseUrl: string;
  /** Read on every request, so a fresh sign-in takes effect without rebuilding the client. */
  getToken: () => Promise<string | null>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * What the sync engine needs from the server; tests may wrap it to inject faults. Besides push
 * and pull, the custody log watch asks for key history and consistency proofs.
 */
export interface SyncApi extends CustodyLogApi {
  push(request: { deviceId: string; mutations: readonly Mutation[] }): Promise<PushResponse>;
  /** The raw page: the engine validates it before it touches the database. */
  pull(cursor: string, limit: number, options?: PullOptions): Promise<unknown>;
}

export interface PullOptions {
  /** Asks the server how many records remain after the page (for progress). */
  withRemaining?: boolean;
  /**
   * Hears the next page's cursor as soon as the answer's headers name it (PULL_NEXT_CURSOR_HEADER),
   * before the body is read; never called by servers that predate the header.
   */
  onNextCursor?: (cursor: string) => void;
}

export interface ApiClient extends SyncApi {
  readonly baseUrl: string;
  login(request: LoginRequest): Promise<LoginResponse>;
  me(): Promise<MeResponse>;
  logout(): Promise<void>;
  /** The organisation signing key; public, so a stranger can read it too. */
  orgSigningKey(): Promise<OrgSigningKeyInfo>;
}


const defaultTimeoutMs = 20_000;
const keptLocally = 'Your changes stay on this device and sync when the server can be reached.';

export function normalizeServerUrl(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  // Bare addresses: plain http on this machine or a local network, https anywhere else.
  const local = /^(localhost|127\.|10\.|192\.168\.|\[?::1\]?)/i.test(trimmed);
  return `${local ? 'http' : 'https'}://${trimmed}`;
}

function problemToError(status: number, problem: Problem | null): SyncError {
  const detail = problem?.detail ?? problem?.title ?? `HTTP ${status}`;
  const code = problem?.code;
  if (code === 'client_too_old' || status === 426) {
    return new SyncError(
      'client_too_old',
      'This version of Reclaim is too old for the sync server.',
      'Update the app. Your changes stay on this device and sync after the update.',
      status,
    );
  }
  if (code === 'device_revoked') {
    return new SyncError(
      'device_revoked',
      'An administrator has revoked this device, so Reclaim has removed its data from it.',
      'Ask the office for a new device, or for this one to be restored before signing in again.',
      status,
    );
  }
  if (code === 'rate_limited' || status === 429) {
    return new SyncError('rate_limited', 'Too many sign-in attempts.', detail, status);
  }
  if (code === 'invalid_credentials') {
    return new SyncError('unauthorized', 'Wrong user name or password.', 'Check them and try again.', status);
  }
  if (code === 'session_expired') {
    return new SyncError(
      'session_expired',
      'Your session expired — sign in again to sync.',
      'Your changes on this device are kept.',
      status,
    );
  }
  if (code === 'unauthenticated' || status === 401) {
    return new SyncError(
      'unauthorized',
      'The sync server no longer accepts this sign-in.',
      'Sign in again to sync. Your changes on this device are kept.',
      status,
    );
  }
  // 409 on sync: a copy of the same batch was being applied at that moment; nothing was kept
  // from this one, the outbox still holds it, and the next round gets the remembered answers.
  if (status === 409 && code === 'conflict') {
    return new SyncError('server', 'The sync server was busy with a copy of these changes.', `It will try again by itself. ${keptLocally}`, status);
  }
  if (status >= 500) {
    return new SyncError('server', `The sync server had a problem: ${detail}`, `It will try again by itself. ${keptLocally}`, status);
  }
  return new SyncError('server', `The sync server refused the request: ${detail}`, 'If this keeps happening, tell the office.', status);
}

async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const parsed = Problem.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The HTTP client for the sync server: bearer token, protocol header, timeout, typed errors. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = normalizeServerUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const host = (() => {
    try {
      return new URL(baseUrl).host;
    } catch {
      return baseUrl;
    }
  })();

  async function request(path: string, init: { method: 'GET' | 'POST'; body?: unknown; auth: boolean; onHeaders?: (headers: Headers) => void }): Promise<unknown> {
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.auth) {
      const token = await options.getToken();
      if (!token) {
        throw new SyncError('unauthorized', 'This device is not signed in to the sync server.', 'Sign in to sync. Your changes on this device are kept.');
      }
      headers.authorization = `Bearer ${token}`;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: init.method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new SyncError(
        'offline',
        timedOut
          ? `The sync server at ${host} did not answer within ${Math.round(timeoutMs / 1000)} seconds.`
          : `Can't reach the sync server at ${host}.`,
        `Check the internet connection and the server address. ${keptLocally}`,
        null,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw problemToError(response.status, await readProblem(response));
    if (response.status === 204) return null;
    init.onHeaders?.(response.headers);
    try {
      return await response.json();
    } catch (error) {
      throw invalidResponse(`${path} did not answer with JSON`, error);
    }
  }

  function invalidResponse(what: string, cause: unknown): SyncError {
    return new SyncError(
      'invalid_response',
      `The sync server sent an answer this app does not understand (${what}).`,
      'Check the server address; if it is right, the app or the server may need an update.',
      null,
      { cause },
    );
  }

  function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalidResponse(what, parsed.error);
    return parsed.data;
  }

  return {
    baseUrl,
    async login(body) {
      return parse(LoginResponse, await request('/api/v1/auth/login', { method: 'POST', body, auth: false }), 'sign-in');
    },
    async me() {
      return parse(MeResponse, await request('/api/v1/auth/me', { method: 'GET', auth: true }), 'current user');
    },
    async logout() {
      await request('/api/v1/auth/logout', { method: 'POST', auth: true });
    },
    async push({ deviceId, mutations }) {
      const body = { protocolVersion: PROTOCOL_VERSION, deviceId, mutations };
      return parse(PushResponse, await request('/api/v1/sync/push', { method: 'POST', body, auth: true }), 'push');
    },
    async pull(cursor, limit, options) {
      const query = new URLSearchParams({ cursor, limit: String(limit) });
      if (options?.withRemaining) query.set('remaining', '1');
      const onNextCursor = options?.onNextCursor;
      if (!onNextCursor) return request(`/api/v1/sync/pull?${query.toString()}`, { method: 'GET', auth: true });
      // A header that is not a cursor is ignored: the body's cursor still leads to the next page.
      const onHeaders = (headers: Headers) => {
        const next = Cursor.safeParse(headers.get(PULL_NEXT_CURSOR_HEADER));
        if (next.success && next.data !== cursor) onNextCursor(next.data);
      };
      return request(`/api/v1/sync/pull?${query.toString()}`, { method: 'GET', auth: true, onHeaders });
    },
    async orgSigningKey() {
      return parse(OrgSigningKeyInfo, await request('/api/v1/org/signing-key', { method: 'GET', auth: false }), 'organisation signing key');
    },
    async orgKeyHistory() {
      return parse(OrgKeyHistory, await request('/api/v1/org/signing-key/history', { method: 'GET', auth: false }), 'organisation key history');
    },
    async custodyLogConsistency(from, to) {
      const query = new URLSearchParams({ from: String(from), to: String(to) });
      const answer = parse(ConsistencyProofAnswer, await request(`/api/v1/custody/log/consistency?${query.toString()}`, { method: 'GET', auth: true }), 'custody log consistency proof');
      if (answer.from !== from || answer.to !== to) throw invalidResponse(`a consistency proof from ${answer.from} to ${answer.to}, asked from ${from} to ${to}`, null);
      return answer.proof.map((hash) => fromHex(hash));
    },
  };
}
