import { tileCache } from '../../../app/local-database';
import { bulkDownloadRefusal } from './bulk-policy';
import { fetchTile, sourceKeyOf } from './tile-source';
import { countTiles, listTiles, tileUrl, type LatLonBounds } from './tile-math';

/** More than this in one go is a job for a region pack, not a tile-by-tile download. */
export const maxTilesPerSave = 20_000;
/** Few parallel requests: a self-hosted tile server is often one small machine. */
const parallelRequests = 4;

export interface AreaSaveProgress {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
}

export interface AreaSaveRequest {
  readonly template: string;
  readonly permitsBulk: boolean;
  readonly bounds: LatLonBounds;
  readonly minZoom: number;
  readonly maxZoom: number;
}

/**
 * Layer 2 of the offline map: saves every tile of an area, pinned so browsing never evicts
 * them. Refuses sources that forbid bulk download; stops promptly when cancelled.
 */
export async function saveAreaForOffline(
  request: AreaSaveRequest,
  onProgress: (progress: AreaSaveProgress) => void,
  signal: AbortSignal,
): Promise<AreaSaveProgress> {
  const refusal = bulkDownloadRefusal(request.template, request.permitsBulk);
  if (refusal) throw new Error(refusal);
  const total = countTiles(request.bounds, request.minZoom, request.maxZoom);
  if (total > maxTilesPerSave) throw new Error(`That is ${total} tiles; save a smaller area or fewer zoom levels (at most ${maxTilesPerSave}).`);
  const sourceKey = sourceKeyOf(request.template);
  const tiles = listTiles(request.bounds, request.minZoom, request.maxZoom);
  let done = 0;
  let failed = 0;
  const worker = async () => {
    for (let next = tiles.next(); !next.done && !signal.aborted; next = tiles.next()) {
      const { z, x, y } = next.value;
      const tile = await fetchTile(tileUrl(request.template, z, x, y), signal, 15_000);
      if (tile) await tileCache.put(sourceKey, z, x, y, tile, true);
      else failed++;
      done++;
      onProgress({ done, failed, total });
    }
  };
  await Promise.all(Array.from({ length: parallelRequests }, worker));
  return { done, failed, total };
}
