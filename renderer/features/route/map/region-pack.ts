import { Compression, FileSource, PMTiles, TileType } from 'pmtiles';
import { routePlansRepository } from '../../../app/local-database';
import type { TileBytes } from './async-tile-layer';

export interface OpenRegionPack {
  readonly name: string;
  /** Raster packs hold pictures of the map; vector packs hold its features, drawn on the laptop. */
  readonly kind: 'raster' | 'vector';
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly bounds: { south: number; west: number; north: number; east: number };
  readonly load: (z: number, x: number, y: number, signal: AbortSignal) => Promise<TileBytes | null>;
}

const tileTypes: Partial<Record<TileType, { kind: OpenRegionPack['kind']; contentType: string }>> = {
  [TileType.Png]: { kind: 'raster', contentType: 'image/png' },
  [TileType.Jpeg]: { kind: 'raster', contentType: 'image/jpeg' },
  [TileType.Webp]: { kind: 'raster', contentType: 'image/webp' },
  [TileType.Avif]: { kind: 'raster', contentType: 'image/avif' },
  [TileType.Mvt]: { kind: 'vector', contentType: 'application/vnd.mapbox-vector-tile' },
};

/** What the pmtiles reader can undo in a browser; brotli and zstd need libraries the app does not ship. */
const readableCompressions = new Set<Compression>([Compression.Unknown, Compression.None, Compression.Gzip]);

export class RegionPackError extends Error {}

async function openPack(name: string, archive: PMTiles): Promise<OpenRegionPack> {
  let header;
  try {
    header = await archive.getHeader();
  } catch (error) {
    throw new RegionPackError(`${name} is not a PMTiles region pack (${error instanceof Error ? error.message : String(error)}).`);
  }
  const type = tileTypes[header.tileType];
  if (!type) {
    throw new RegionPackError(
      `${name} holds tiles of a kind this app cannot draw (${header.tileType === TileType.Mlt ? 'MapLibre Tiles' : 'unknown'}); use a pack of Mapbox Vector Tiles or of PNG, JPEG or WebP images.`,
    );
  }
  if (!readableCompressions.has(header.tileCompression)) {
    throw new RegionPackError(`${name} compresses its tiles with ${Compression[header.tileCompression] ?? 'an unknown method'}; rebuild it with gzip or no compression (pmtiles convert does either).`);
  }
  const { kind, contentType } = type;
  return {
    name,
    kind,
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    bounds: { south: header.minLat, west: header.minLon, north: header.maxLat, east: header.maxLon },
    load: async (z, x, y, signal) => {
      if (z < header.minZoom || z > header.maxZoom) return null;
      const found = await archive.getZxy(z, x, y, signal);
      return found ? { bytes: found.data, contentType } : null;
    },
  };
}

/** Layer 3: a pack from disk is checked, then kept in IndexedDB so it is there after a restart. */
export async function openRegionPackFile(file: File): Promise<OpenRegionPack> {
  const pack = await openPack(file.name, new PMTiles(new FileSource(file)));
  await routePlansRepository.replaceRegionPack(file.name, file);
  return pack;
}

export async function restoreRegionPack(): Promise<OpenRegionPack | null> {
  const stored = await routePlansRepository.currentRegionPack();
  if (!stored) return null;
  return openPack(stored.name, new PMTiles(new FileSource(new File([stored.file], stored.name))));
}

/** A pack hosted by the sync server (or any server that answers HTTP range requests). */
export function openRegionPackUrl(url: string): Promise<OpenRegionPack> {
  return openPack(new URL(url).pathname.split('/').pop() || url, new PMTiles(url));
}

export function forgetRegionPack(): Promise<void> {
  return routePlansRepository.removeRegionPack();
}
