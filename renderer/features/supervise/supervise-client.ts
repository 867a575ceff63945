import type { z } from 'zod';
import { Problem } from '../../../shared/api/problem';
import { JobReceipts } from '../../../shared/api/receipts';
import { CustodyEvent } from '../../../shared/custody/custody-event';
import type { DispositionRequest } from '../../../shared/supervise/disposition';
import { CustodySearchResult, DashboardFigures, ItemTimeline, type CustodySearchQuery } from '../../../shared/supervise/supervise-api';
import type { StoredSession } from '../../db/meta';
import type { SavableMimeType } from '../../../shared/bridge';
import { getBridge } from '../../platform/bridge';

/** A refusal or a failure in words for the supervisor, e.g. "Only these roles may do this…". */
export class SuperviseError extends Error {
  constructor(message: string, readonly status: number | null) {
    super(message);
    this.name = 'SuperviseError';
  }
}

export type ExportKind = 'pdf' | 'bundle' | 'csv';
const exportFiles = {
  pdf: { mimeType: 'application/pdf', extension: 'pdf' },
  bundle: { mimeType: 'application/zip', extension: 'zip' },
  csv: { mimeType: 'text/csv', extension: 'csv' },
} as const satisfies Record<ExportKind, { mimeType: SavableMimeType; extension: string }>;
/** Where an export stands: the server answered, the user chooses the file, then bytes are saved as they arrive (of a total when known). */
export type ExportProgress = { phase: 'downloading' | 'choosing' | 'saving'; received: number; total: number | null };

/** Bytes crossing to the platform in one call: fewer, larger calls, far below the bridge's chunk limit. */
const SAVE_CHUNK_BYTES = 1024 * 1024;

/** Gathers the download's small reads into chunks of SAVE_CHUNK_BYTES. */
class ChunkBuffer {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  /** Adds a read; returns a whole chunk when one is ready. */
  add(part: Uint8Array): Uint8Array<ArrayBuffer> | null {
    this.parts.push(part);
    this.bytes += part.byteLength;
    return this.bytes >= SAVE_CHUNK_BYTES ? this.take() : null;
  }
  take(): Uint8Array<ArrayBuffer> | null {
    if (this.bytes === 0) return null;
    const chunk = new Uint8Array(this.bytes);
    let offset = 0;
    for (const part of this.parts) {
      chunk.set(part, offset);
      offset += part.byteLength;
    }
    this.parts = [];
    this.bytes = 0;
    return chunk;
  }
}
/** saved is false when the user closed the save dialog; location is null in a browser. */
export type SavedExport = { name: string; bytes: number; saved: boolean; location: string | null };
export type ExportScope = { jobId: string } | { itemId: string } | { search: Partial<CustodySearchQuery> };

async function request(session: StoredSession, path: string, body?: unknown): Promise<Response> {
  const token = await getBridge().getSecret('session');
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let response: Response;
  try {
    response = await fetch(
      `${session.serverUrl}${path}`,
      body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
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

    /** Records the item's final disposition; the server signs it as the chain's last event. */
    async recordDisposition(itemId: string, disposition: DispositionRequest): Promise<CustodyEvent> {
      const parsed = CustodyEvent.safeParse(await (await request(session, `/api/v1/custody/items/${encodeURIComponent(itemId)}/disposition`, disposition)).json());
      if (!parsed.success) throw new SuperviseError('The server sent an answer this app does not understand; the app or the server may need an update.', null);
      return parsed.data;
    },

    /** The receipts agents left with the customer on a job. */
    receipts: (jobId: string) => json(session, `/api/v1/jobs/${encodeURIComponent(jobId)}/receipts`, JobReceipts),

    /** A receipt's PDF as the server holds it (the record names it by SHA-256). */
    async receiptPdf(sha256: string): Promise<Blob> {
      const response = await request(session, `/api/v1/blobs/${encodeURIComponent(sha256)}`);
      return new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
    },

    /** The bytes of a photo or signature, as a URL the page can show; revoke it when done. */
    async evidenceUrl(sha256: string): Promise<string> {
      const response = await request(session, `/api/v1/blobs/${encodeURIComponent(sha256)}`);
      return URL.createObjectURL(await response.blob());
    },

    /**
     * Saves an export as it downloads: the server's answer is checked first (a refusal is said
     * before any dialog), then the platform asks where to save it (a save dialog in Electron,
     * a download in the browser), and the bytes go to that file a chunk at a time, reporting
     * progress (out of the total when the server knows it). Nothing is held whole in memory,
     * so an export of any size can be saved; a broken download leaves no partial file.
     */
    async download(kind: ExportKind, scope: ExportScope, onProgress: (progress: ExportProgress) => void): Promise<SavedExport> {
      const query = 'search' in scope ? queryString(scope.search as Record<string, string>) : queryString(scope);
      const response = await request(session, `/api/v1/custody/export/${kind}?${query}`);
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `custody.${exportFiles[kind].extension}`;
      const length = Number(response.headers.get('content-length') ?? '');
      const total = Number.isFinite(length) && length > 0 ? length : null;
      const reader = response.body?.getReader();
      const bridge = getBridge();
      onProgress({ phase: 'choosing', received: 0, total });
      const begun = await bridge.beginSave({ suggestedName: name, mimeType: exportFiles[kind].mimeType });
      if (!begun.opened) {
        await reader?.cancel();
        return { name, bytes: 0, saved: false, location: null };
      }
      const { streamId } = begun;
      let received = 0;
      try {
        const pending = new ChunkBuffer();
        onProgress({ phase: 'saving', received, total });
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array> | undefined;
          try {
            next = await reader?.read();
          } catch {
            throw new SuperviseError('The connection dropped while the export was downloading; nothing was saved. Try again.', null);
          }
          if (!next || next.done) break;
          received += next.value.byteLength;
          const full = pending.add(next.value);
          if (full) await bridge.writeSave({ streamId, chunk: full });
          onProgress({ phase: 'saving', received, total });
        }
        const rest = pending.take();
        if (rest) await bridge.writeSave({ streamId, chunk: rest });
      } catch (error) {
        await reader?.cancel().catch(() => undefined);
        await bridge.finishSave({ streamId, outcome: 'abandon' }).catch(() => undefined);
        if (error instanceof SuperviseError) throw error;
        throw new SuperviseError(`The export could not be written to the file (${error instanceof Error ? error.message : 'unknown error'}); nothing was kept. Try again.`, null);
      }
      const result = await bridge.finishSave({ streamId, outcome: 'complete' });
      return { name, bytes: received, saved: result.saved, location: result.location };
    },
  };
}
export type SuperviseClient = ReturnType<typeof superviseClient>;
