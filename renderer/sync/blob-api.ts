import { Problem } from '../../shared/api/problem';
import { normalizeServerUrl } from './api-client';
import type { BlobApi } from './blob-queue';
import { SyncError } from './sync-error';

export interface BlobApiOptions {
  baseUrl: string;
  getToken: () => Promise<string | null>;
  /** Generous: a 2 MB photo on a weak uplink takes a while. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** PUT /api/v1/blobs/{sha256}: the server recomputes the hash; an existing blob answers 200. */
export function createBlobApi(options: BlobApiOptions): BlobApi {
  const baseUrl = normalizeServerUrl(options.baseUrl);
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    async putBlob(sha256, blob) {
      const token = await options.getToken();
      if (!token) throw new SyncError('unauthorized', 'This device is not signed in to the sync server.', 'Sign in to upload photos. They are kept on this device.');
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/api/v1/blobs/${sha256}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': blob.type || 'application/octet-stream' },
          body: blob,
          signal: controller.signal,
        });
      } catch (error) {
        throw new SyncError('offline', "Can't reach the sync server to upload a photo.", 'Photos stay on this device and upload when the server can be reached.', null, { cause: error });
      } finally {
        clearTimeout(timer);
      }
      if (response.ok) return;
      let detail = `HTTP ${response.status}`;
      try {
        const problem = Problem.safeParse(await response.json());
        if (problem.success) detail = problem.data.detail ?? problem.data.title;
      } catch {
        // A body that is not problem+json still has its status.
      }
      throw new SyncError('server', `The server refused a file: ${detail}`, 'It is kept on this device; tell the office if this keeps happening.', response.status);
    },
  };
}
