import { tileCache } from '../../../app/local-database';
import type { TileBytes } from './async-tile-layer';
import { tileUrl } from './tile-math';

/**
 * With no signal a tile request may fail at once or hang until the OS gives up, minutes later;
 * the cache and the layers beneath must take over well before that.
 */
export const tileTimeoutMs = 4000;

/** The cache key of a tile source: its template, so two sources never share tiles. */
export function sourceKeyOf(template: string): string {
  return template;
}

export async function fetchTile(url: string, signal: AbortSignal, timeoutMs = tileTimeoutMs): Promise<TileBytes | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]), credentials: 'omit' });
    const contentType = response.headers.get('content-type') ?? 'image/png';
    if (!response.ok || !contentType.startsWith('image/')) return null;
    return { bytes: await response.arrayBuffer(), contentType };
  } catch {
    return null;
  }
}

/**
 * Layer 1 of the offline map: the cache first (instant, and the only source offline), then
 * the network, keeping what arrives. A tile already cached is not refreshed from the network;
 * street maps change slowly and an agent's data plan is not free.
 */
export function cachedTileLoader(template: string) {
  const sourceKey = sourceKeyOf(template);
  return async (z: number, x: number, y: number, signal: AbortSignal): Promise<TileBytes | null> => {
    const cached = await tileCache.get(sourceKey, z, x, y).catch(() => null);
    if (cached) return cached;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return null;
    const fetched = await fetchTile(tileUrl(template, z, x, y), signal);
    // A full disk or a quota refusal must not cost the agent the tile on screen.
    if (fetched) await tileCache.put(sourceKey, z, x, y, fetched).catch(() => undefined);
    return fetched;
  };
}

export async function averageTileBytes(template: string): Promise<number | null> {
  const usage = await tileCache.usage(sourceKeyOf(template));
  return usage.tiles > 0 ? usage.bytes / usage.tiles : null;
}
