/** Web Mercator tile arithmetic (the XYZ scheme every raster tile server uses). */

export interface LatLonBounds {
  readonly south: number;
  readonly west: number;
  readonly north: number;
  readonly east: number;
}

export interface TileRange {
  readonly z: number;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

/** Beyond this latitude Web Mercator is undefined; tile servers stop there. */
const maxLatitude = 85.0511287798;

export function lonToTileX(lon: number, z: number): number {
  const n = 2 ** z;
  return Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
}

export function latToTileY(lat: number, z: number): number {
  const n = 2 ** z;
  const clamped = Math.max(-maxLatitude, Math.min(maxLatitude, lat));
  const rad = (clamped * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return Math.min(n - 1, Math.max(0, y));
}

export function tileRange(bounds: LatLonBounds, z: number): TileRange {
  return {
    z,
    minX: lonToTileX(bounds.west, z),
    maxX: lonToTileX(bounds.east, z),
    // North has the smaller y: tile rows count down from the top of the world.
    minY: latToTileY(bounds.north, z),
    maxY: latToTileY(bounds.south, z),
  };
}

export function tilesInRange(range: TileRange): number {
  return (range.maxX - range.minX + 1) * (range.maxY - range.minY + 1);
}

/** How many tiles cover the area at every zoom from minZoom to maxZoom inclusive. */
export function countTiles(bounds: LatLonBounds, minZoom: number, maxZoom: number): number {
  let total = 0;
  for (let z = minZoom; z <= maxZoom; z++) total += tilesInRange(tileRange(bounds, z));
  return total;
}

export function* listTiles(bounds: LatLonBounds, minZoom: number, maxZoom: number): Generator<{ z: number; x: number; y: number }> {
  for (let z = minZoom; z <= maxZoom; z++) {
    const range = tileRange(bounds, z);
    for (let x = range.minX; x <= range.maxX; x++) for (let y = range.minY; y <= range.maxY; y++) yield { z, x, y };
  }
}

/**
 * A typical street-map PNG tile is 10–40 KB; without measurements of this source, 25 KB keeps
 * the estimate on the honest side.
 */
export const typicalTileBytes = 25 * 1024;

export function estimateBytes(tiles: number, averageTileBytes: number | null): number {
  return Math.round(tiles * (averageTileBytes && averageTileBytes > 0 ? averageTileBytes : typicalTileBytes));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

/** Fills an XYZ template ("https://tiles.example.org/{z}/{x}/{y}.png", optional {s} subdomain). */
export function tileUrl(template: string, z: number, x: number, y: number): string {
  const subdomains = 'abc';
  const s = subdomains[(x + y) % subdomains.length] ?? 'a';
  return template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)).replace('{s}', s).replace('{r}', '');
}
