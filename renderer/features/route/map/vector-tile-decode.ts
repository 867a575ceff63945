import { VectorTile, VectorTileFeature } from '@mapbox/vector-tile';
import { gunzipSync } from 'fflate';
import Pbf from 'pbf';
import { styleFeature, type FeatureStyle, type GeometryKind } from './vector-tile-style';

export interface TileAddress {
  readonly z: number;
  readonly x: number;
  readonly y: number;
}

/**
 * Which stored tile draws a requested one. Past the pack's deepest zoom, the ancestor at that
 * zoom is read and the requested tile's part of it drawn larger: `scale` tiles across, and the
 * requested tile is `dx`, `dy` tiles in from the ancestor's corner. Vector data stays sharp
 * when enlarged, so a pack built to zoom 14 still reads at street level.
 */
export interface TileView {
  readonly source: TileAddress;
  readonly scale: number;
  readonly dx: number;
  readonly dy: number;
}

export function viewForTile(target: TileAddress, maxZoom: number): TileView {
  if (target.z <= maxZoom) return { source: target, scale: 1, dx: 0, dy: 0 };
  const scale = 2 ** (target.z - maxZoom);
  const source = { z: maxZoom, x: Math.floor(target.x / scale), y: Math.floor(target.y / scale) };
  return { source, scale, dx: target.x - source.x * scale, dy: target.y - source.y * scale };
}

/**
 * PMTiles says how tiles are compressed and the reader undoes that, but packs built by some
 * tools gzip every tile and record "none"; the gzip magic number gives them away.
 */
export function gunzipIfNeeded(bytes: Uint8Array): Uint8Array {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

export function parseVectorTile(bytes: ArrayBuffer | Uint8Array): VectorTile {
  return new VectorTile(new Pbf(gunzipIfNeeded(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))));
}

/** One feature ready to paint: its style and its rings (or a label's single point) in tile pixels. */
export interface DrawItem {
  readonly style: FeatureStyle;
  readonly rings: readonly (readonly [number, number])[][];
}

const geometryKinds: Record<number, GeometryKind | undefined> = { 1: 'point', 2: 'line', 3: 'polygon' };

/** Pixels beyond the tile's edge still worth drawing: a wide road's half-width, a label's reach. */
const marginPx = 48;

/**
 * The features of a (possibly enlarged) vector tile as pixel paths for a `tileSize` canvas,
 * styled for `zoom` and in paint order: land, then water, buildings, roads, borders, labels.
 */
export function drawItems(tile: VectorTile, zoom: number, view: TileView, tileSize: number): DrawItem[] {
  const items: { item: DrawItem; order: number; seq: number }[] = [];
  for (const [name, layer] of Object.entries(tile.layers)) {
    const extent = layer.extent;
    // Feature units → requested-tile pixels.
    const unit = (tileSize * view.scale) / extent;
    const left = (view.dx * extent) / view.scale;
    const top = (view.dy * extent) / view.scale;
    const reach = marginPx / unit;
    const right = left + extent / view.scale;
    const bottom = top + extent / view.scale;
    for (let i = 0; i < layer.length; i++) {
      const feature: VectorTileFeature = layer.feature(i);
      const geometry = geometryKinds[feature.type];
      if (!geometry) continue;
      const style = styleFeature(name, geometry, feature.properties, zoom);
      if (!style) continue;
      if (view.scale > 1) {
        const [x1 = 0, y1 = 0, x2 = 0, y2 = 0] = feature.bbox();
        if (x2 < left - reach || x1 > right + reach || y2 < top - reach || y1 > bottom + reach) continue;
      }
      const rings = feature.loadGeometry().map((ring) => ring.map((point) => [(point.x - left) * unit, (point.y - top) * unit] as const));
      items.push({ item: { style, rings }, order: style.order, seq: items.length });
    }
  }
  items.sort((a, b) => a.order - b.order || a.seq - b.seq);
  return items.map((entry) => entry.item);
}
