import { gzipSync } from 'node:zlib';
import { PMTiles, TileType, type Source } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { drawItems, gunzipIfNeeded, parseVectorTile, viewForTile, type DrawItem } from '../../renderer/features/route/map/vector-tile-decode';
import { palette, styleFeature } from '../../renderer/features/route/map/vector-tile-style';
import { box, writeVectorRegionPack } from '../fixtures/vector-region-pack';

const bounds = { south: 41.86, west: -87.66, north: 41.9, east: -87.6 };
const lake = box(-87.63, 41.87, -87.61, 41.89);
const layers = {
  water: { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: { class: 'lake' }, geometry: { type: 'Polygon' as const, coordinates: lake } }] },
  transportation: {
    type: 'FeatureCollection' as const,
    features: [
      {
        type: 'Feature' as const,
        properties: { class: 'primary' },
        geometry: { type: 'LineString' as const, coordinates: [[-87.65, 41.865], [-87.6, 41.895]] },
      },
    ],
  },
};

function bufferSource(bytes: Buffer): Source {
  return {
    getKey: () => 'test.pmtiles',
    getBytes: async (offset: number, length: number) => ({
      data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer,
    }),
  };
}

/** Web Mercator pixel of a place inside tile z/x/y of `size` pixels. */
function pixelIn(lon: number, lat: number, z: number, x: number, y: number, size = 256): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const worldX = ((lon + 180) / 360) * n;
  const worldY = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n;
  return [(worldX - x) * size, (worldY - y) * size];
}

function tileOf(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const [px, py] = pixelIn(lon, lat, z, 0, 0, 1);
  return { z, x: Math.floor(px), y: Math.floor(py) };
}

function waterFill(items: readonly DrawItem[]): DrawItem {
  const found = items.find((item) => item.style.kind === 'fill' && item.style.fill === palette.water);
  if (!found) throw new Error('no water polygon among the drawn features');
  return found;
}

function nearestVertex(item: DrawItem, target: [number, number]): number {
  return Math.min(...item.rings.flat().map(([x, y]) => Math.hypot(x - target[0], y - target[1])));
}

describe('vector region pack tiles', () => {
  it('styles by the layer and class names OpenMapTiles and Protomaps share, with a quiet fallback', () => {
    expect(styleFeature('water', 'polygon', { class: 'lake' }, 13)).toMatchObject({ kind: 'fill', fill: palette.water });
    expect(styleFeature('landuse', 'polygon', { kind: 'park' }, 13)).toMatchObject({ kind: 'fill', fill: palette.park });
    expect(styleFeature('landcover', 'polygon', { class: 'wood' }, 13)).toMatchObject({ kind: 'fill', fill: palette.wood });
    expect(styleFeature('roads', 'line', { kind: 'highway' }, 13)).toMatchObject({ kind: 'line', color: palette.motorway });
    expect(styleFeature('transportation', 'line', { class: 'primary' }, 13)).toMatchObject({ kind: 'line', color: palette.major });
    expect(styleFeature('roads', 'line', { 'pmap:kind': 'minor_road' }, 15)).toMatchObject({ kind: 'line', color: palette.minor });
    expect(styleFeature('boundary', 'line', { admin_level: 4 }, 10)).toMatchObject({ kind: 'line', color: palette.boundary });
    expect(styleFeature('boundaries', 'line', { kind: 'locality', admin_level: 8 }, 10)).toBeNull();
    expect(styleFeature('places', 'point', { kind: 'locality', name: 'Evanston' }, 11)).toMatchObject({ kind: 'label', text: 'Evanston' });
    expect(styleFeature('pois', 'point', { name: 'Cafe' }, 16)).toBeNull();
    expect(styleFeature('transportation_name', 'line', { name: 'Main St' }, 16)).toBeNull();
    expect(styleFeature('ski_runs', 'polygon', {}, 12)).toMatchObject({ kind: 'fill', fill: palette.other });
    expect(styleFeature('ski_runs', 'line', {}, 12)).toMatchObject({ kind: 'line', color: palette.otherLine });
  });

  it('reads a deeper tile from its ancestor at the pack’s last zoom', () => {
    expect(viewForTile({ z: 12, x: 1050, y: 1522 }, 14)).toEqual({ source: { z: 12, x: 1050, y: 1522 }, scale: 1, dx: 0, dy: 0 });
    expect(viewForTile({ z: 16, x: 16803, y: 24355 }, 14)).toEqual({ source: { z: 14, x: 4200, y: 6088 }, scale: 4, dx: 3, dy: 3 });
  });

  it('draws a gzip-compressed pack’s water where the lake is, at the pack’s zooms and enlarged past them', async () => {
    const archive = new PMTiles(bufferSource(writeVectorRegionPack(layers, { bounds, minZoom: 10, maxZoom: 13, gzip: true })));
    const header = await archive.getHeader();
    expect(header.tileType).toBe(TileType.Mvt);

    const [lakeWest, lakeSouth] = [-87.63, 41.87];
    for (const z of [12, 13, 15]) {
      const target = tileOf(lakeWest + 0.001, lakeSouth + 0.001, z);
      const view = viewForTile(target, header.maxZoom);
      const stored = await archive.getZxy(view.source.z, view.source.x, view.source.y);
      if (!stored) throw new Error(`the pack lacks tile ${view.source.z}/${view.source.x}/${view.source.y}`);
      const items = drawItems(parseVectorTile(stored.data), z, view, 256);
      // The lake's south-west corner lands on its own pixel, within the tile grid's rounding.
      expect(nearestVertex(waterFill(items), pixelIn(lakeWest, lakeSouth, z, target.x, target.y))).toBeLessThan(1);
      // Water is painted before the road that crosses it.
      const kinds = items.map((item) => (item.style.kind === 'fill' ? item.style.fill : item.style.kind));
      expect(kinds.indexOf(palette.water)).toBeLessThan(kinds.indexOf('line'));
    }
  });

  it('gunzips a tile a pack gzipped without saying so, and leaves plain tiles alone', async () => {
    const archive = new PMTiles(bufferSource(writeVectorRegionPack(layers, { bounds, minZoom: 12, maxZoom: 12, gzip: false })));
    const target = tileOf(-87.62, 41.88, 12);
    const stored = await archive.getZxy(target.z, target.x, target.y);
    if (!stored) throw new Error('the pack lacks the lake’s tile');
    const plain = new Uint8Array(stored.data);
    expect(gunzipIfNeeded(plain)).toBe(plain);
    const hidden = gzipSync(plain);
    expect(Buffer.from(gunzipIfNeeded(hidden))).toEqual(Buffer.from(plain));
    expect(Object.keys(parseVectorTile(hidden).layers).sort()).toEqual(['transportation', 'water']);
  });
});
