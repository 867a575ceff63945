import { RegionPackList, type RegionPackSummary } from '../../../../shared/api/regions';
import { getBridge } from '../../../platform/bridge';
import { sessionStore } from '../../auth/session-store';

export interface DownloadProgress {
  readonly receivedBytes: number;
  readonly totalBytes: number;
}

export class ServerRegionPackError extends Error {}

async function authorizedFetch(path: string, signal?: AbortSignal): Promise<Response> {
  const state = sessionStore.getState();
  if (state.status !== 'signed-in') throw new ServerRegionPackError('Sign in to reach the sync server.');
  const token = await getBridge().getSecret('session');
  let response: Response;
  try {
    response = await fetch(`${state.session.serverUrl}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ServerRegionPackError('The sync server cannot be reached. Try again when you have a connection.');
  }
  if (response.status === 401) throw new ServerRegionPackError('Your session expired; sign in again to download region packs.');
  if (!response.ok) throw new ServerRegionPackError(`The sync server answered ${response.status}; try again later.`);
  return response;
}

/** The packs the organisation hosts; each covers one operating area. */
export async function listServerRegionPacks(): Promise<RegionPackSummary[]> {
  const response = await authorizedFetch('/api/v1/regions');
  const parsed = RegionPackList.safeParse(await response.json());
  if (!parsed.success) throw new ServerRegionPackError('The sync server sent a list of region packs this app cannot read.');
  return parsed.data.regions;
}

/**
 * Downloads a whole pack so it works with no signal later. Packs are tens to hundreds of
 * megabytes, so the bytes are read as a stream and progress is reported as they arrive.
 */
export async function downloadServerRegionPack(
  pack: RegionPackSummary,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<File> {
  const response = await authorizedFetch(`/api/v1/regions/${encodeURIComponent(pack.name)}`, signal);
  const totalBytes = Number(response.headers.get('content-length') ?? pack.size) || pack.size;
  if (!response.body) return new File([await response.blob()], pack.name);
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let receivedBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(new Uint8Array(value));
    receivedBytes += value.byteLength;
    onProgress({ receivedBytes, totalBytes });
  }
  if (receivedBytes !== totalBytes) {
    throw new ServerRegionPackError(`The download of ${pack.name} stopped early; try again.`);
  }
  return new File(chunks, pack.name, { type: 'application/vnd.pmtiles' });
}
