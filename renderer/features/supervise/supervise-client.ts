import type { z } from 'zod';
import { Problem } from '../../../shared/api/problem';
import { CustodySearchResult, DashboardFigures, ItemTimeline, type CustodySearchQuery } from '../../../shared/supervise/supervise-api';
import type { StoredSession } from '../../db/meta';
import { getBridge } from '../../platform/bridge';

/** A refusal or a failure in words for the supervisor, e.g. "Only these roles may do this…". */
export class SuperviseError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'SuperviseError';
  }
}

export type ExportKind = 'pdf' | 'bundle' | 'csv';
export type ExportScope = { jobId: string } | { itemId: string } | { search: Partial<CustodySearchQuery> };

async function request(session: StoredSession, path: string): Promise<Response> {
  const token = await getBridge().getSecret('session');
  let response: Response;
  try {
    response = await fetch(`${session.serverUrl}${path}`, { headers: { accept: 'application/json, application/problem+json, */*', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch {
    throw new SuperviseError("Can't reach the server. Supervising works online: check the connection and try again.", null);
  }
  if (!response.ok) {
    const problem = Problem.safeParse(await response.json().catch(() => null));
    const words = problem.success ? (problem.data.detail ?? problem.data.title) : `The server refused the request (HTTP ${response.status}).`;
    throw new SuperviseError(response.status === 401 ? 'Your session ended; sign in again.' : words, response.status);
  }
  return response;
}

async function json<S extends z.ZodType>(session: StoredSession, path: string, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await (await request(session, path)).json());
  if (!parsed.success) throw new SuperviseError('The server sent an answer this app does not understand; the app or the server may need an update.', null);
  return parsed.data;
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

/** Supervisors work online: these calls go straight to the server, never through Dexie. */
export function superviseClient(session: StoredSession) {
  return {
    search: (query: Partial<CustodySearchQuery>) => json(session, `/api/v1/custody/search?${queryString(query)}`, CustodySearchResult),
    timeline: (itemId: string) => json(session, `/api/v1/custody/items/${encodeURIComponent(itemId)}`, ItemTimeline),
    dashboard: (days: number) => json(session, `/api/v1/supervise/dashboard?days=${days}`, DashboardFigures),

    /** The bytes of a photo or signature, as a URL the page can show; revoke it when done. */
    async evidenceUrl(sha256: string): Promise<string> {
      const response = await request(session, `/api/v1/blobs/${encodeURIComponent(sha256)}`);
      return URL.createObjectURL(await response.blob());
    },

    /** Downloads an export, reporting bytes as they arrive, and hands it to the browser to save. */
    async download(kind: ExportKind, scope: ExportScope, onProgress: (bytes: number) => void): Promise<{ name: string; bytes: number }> {
      const query = 'search' in scope ? queryString(scope.search as Record<string, string>) : queryString(scope);
      const response = await request(session, `/api/v1/custody/export/${kind}?${query}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `custody.${kind === 'bundle' ? 'zip' : kind}`;
      const reader = response.body?.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let received = 0;
      for (;;) {
        const next = await reader?.read();
        if (!next || next.done) break;
        chunks.push(next.value);
        received += next.value.byteLength;
        onProgress(received);
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }));
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = name;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      return { name, bytes: received };
    },
  };
}
export type SuperviseClient = ReturnType<typeof superviseClient>;
