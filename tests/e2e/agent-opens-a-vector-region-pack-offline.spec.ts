import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Page } from '@playwright/test';
import { box, writeVectorRegionPack } from '../fixtures/vector-region-pack';
import { expect, shellCachedForOffline, signIn, test } from './app-under-test';

/** Chicago's operating area, drawn as a Protomaps-style pack: land, a lake, a park, roads, a place name. */
const area = { south: 41.64, west: -87.94, north: 42.02, east: -87.52 };
const lake = { west: -87.6, south: 41.7, east: -87.52, north: 42.02 };
const park = { west: -87.72, south: 41.9, east: -87.68, north: 41.94 };
const roads: { kind: string; from: [number, number]; to: [number, number] }[] = [
  { kind: 'highway', from: [-87.75, 41.65], to: [-87.75, 42.0] },
  { kind: 'major_road', from: [-87.93, 41.8], to: [-87.6, 41.8] },
  { kind: 'minor_road', from: [-87.93, 41.85], to: [-87.6, 41.85] },
];
const label = { name: 'Chicago', lon: -87.65, lat: 41.76 };

function layer(features: Feature<Geometry>[]): FeatureCollection {
  return { type: 'FeatureCollection', features };
}

function pack(): Buffer {
  return writeVectorRegionPack(
    {
      earth: layer([{ type: 'Feature', properties: { kind: 'earth' }, geometry: { type: 'Polygon', coordinates: box(area.west, area.south, area.east, area.north) } }]),
      water: layer([{ type: 'Feature', properties: { kind: 'water' }, geometry: { type: 'Polygon', coordinates: box(lake.west, lake.south, lake.east, lake.north) } }]),
      landuse: layer([{ type: 'Feature', properties: { kind: 'park' }, geometry: { type: 'Polygon', coordinates: box(park.west, park.south, park.east, park.north) } }]),
      roads: layer(roads.map((road) => ({ type: 'Feature', properties: { kind: road.kind }, geometry: { type: 'LineString', coordinates: [road.from, road.to] } }))),
      places: layer([{ type: 'Feature', properties: { kind: 'locality', name: label.name }, geometry: { type: 'Point', coordinates: [label.lon, label.lat] } }]),
    },
    { bounds: area, minZoom: 8, maxZoom: 12, gzip: true },
  );
}

interface PixelCheck {
  readonly zoom: number;
  readonly water: number;
  readonly park: number;
  readonly land: number;
  readonly wrong: readonly string[];
}

/**
 * Reads the vector layer's canvases at the current zoom: at a grid of points in each tile,
 * works out what the pack puts there and compares the painted colour. Points near an edge, a
 * road or the label are skipped, so only plain areas are judged.
 */
function checkPixels(page: Page): Promise<PixelCheck> {
  return page.evaluate(
    ({ area, lake, park, roads, label }) => {
      const colours = { water: [168, 207, 238], park: [207, 229, 191], land: [243, 239, 230] } as const;
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.region-pack-vector canvas[data-tile]')];
      const zoom = Math.max(...canvases.map((canvas) => Number((canvas.dataset.tile ?? '0').split('/')[0])));
      const result = { zoom, water: 0, park: 0, land: 0, wrong: [] as string[] };
      const degreesPerPixel = 360 / (256 * 2 ** zoom);
      const inside = (b: { west: number; south: number; east: number; north: number }, lon: number, lat: number, margin: number) =>
        lon > b.west + margin && lon < b.east - margin && lat > b.south + margin && lat < b.north - margin;
      const near = (b: { west: number; south: number; east: number; north: number }, lon: number, lat: number, margin: number) =>
        lon > b.west - margin && lon < b.east + margin && lat > b.south - margin && lat < b.north + margin;
      const expected = (lon: number, lat: number): keyof typeof colours | null => {
        const margin = 14 * degreesPerPixel;
        if (!inside(area, lon, lat, margin)) return null;
        for (const road of roads) {
          const b = { west: Math.min(road.from[0], road.to[0]), east: Math.max(road.from[0], road.to[0]), south: Math.min(road.from[1], road.to[1]), north: Math.max(road.from[1], road.to[1]) };
          if (near(b, lon, lat, margin)) return null;
        }
        if (Math.abs(lon - label.lon) < 70 * degreesPerPixel && Math.abs(lat - label.lat) < 20 * degreesPerPixel) return null;
        if (inside(lake, lon, lat, margin)) return 'water';
        if (inside(park, lon, lat, margin)) return 'park';
        if (near(lake, lon, lat, margin) || near(park, lon, lat, margin)) return null;
        return 'land';
      };
      for (const canvas of canvases) {
        const [z, x, y] = (canvas.dataset.tile ?? '').split('/').map(Number) as [number, number, number];
        if (z !== zoom) continue;
        const context = canvas.getContext('2d');
        if (!context) continue;
        const ratio = canvas.width / 256;
        for (let i = 0; i < 8; i++) {
          for (let j = 0; j < 8; j++) {
            const [px, py] = [(i + 0.5) * 32, (j + 0.5) * 32];
            const lon = ((x + px / 256) / 2 ** zoom) * 360 - 180;
            const n = Math.PI - (2 * Math.PI * (y + py / 256)) / 2 ** zoom;
            const lat = (180 / Math.PI) * Math.atan(Math.sinh(n));
            const want = expected(lon, lat);
            if (!want) continue;
            const [r = 0, g = 0, b = 0, a = 0] = context.getImageData(Math.floor(px * ratio), Math.floor(py * ratio), 1, 1).data;
            // A tile still being drawn is transparent; it is judged on a later look.
            if (a === 0) continue;
            const [er, eg, eb] = colours[want];
            if (Math.abs(r - er) > 4 || Math.abs(g - eg) > 4 || Math.abs(b - eb) > 4) {
              result.wrong.push(`${want} expected at ${lon.toFixed(4)},${lat.toFixed(4)} (tile ${z}/${x}/${y}) but painted rgb(${r},${g},${b})`);
            } else result[want]++;
          }
        }
      }
      return result;
    },
    { area, lake, park, roads, label },
  );
}

/** Where on screen a place is, read from the vector layer's tile canvases. */
function screenPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number } | null> {
  return page.evaluate(
    ({ lon, lat }) => {
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('.region-pack-vector canvas[data-tile]')];
      const zoom = Math.max(...canvases.map((canvas) => Number((canvas.dataset.tile ?? '0').split('/')[0])));
      const n = 2 ** zoom;
      const worldX = ((lon + 180) / 360) * n;
      const rad = (lat * Math.PI) / 180;
      const worldY = ((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n;
      const canvas = canvases.find((c) => c.dataset.tile === `${zoom}/${Math.floor(worldX)}/${Math.floor(worldY)}`);
      if (!canvas) return null;
      const rect = canvas.getBoundingClientRect();
      return { x: rect.left + (worldX - Math.floor(worldX)) * rect.width, y: rect.top + (worldY - Math.floor(worldY)) * rect.height };
    },
    { lon, lat },
  );
}

test('offline, an agent opens a vector region pack and the map draws its water, parks and land', async ({ server, openApp }) => {
  const laptop = await openApp('vector-pack-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);
  await server.stop();

  await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
  await laptop.getByText('Offline map').click();
  await expect(laptop.getByText(/map images or vector tiles/)).toBeVisible();
  await laptop.locator('input[type="file"][accept=".pmtiles"]').setInputFiles({ name: 'chicago-vector.pmtiles', mimeType: 'application/octet-stream', buffer: pack() });
  await expect(laptop.getByText('vector map, drawn on this laptop · zooms 8–12')).toBeVisible();
  await expect(laptop.getByRole('alert')).toHaveCount(0);

  await expect.poll(async () => {
    const seen = await checkPixels(laptop);
    return seen.wrong.length === 0 && seen.water > 0 && seen.land > 0;
  }).toBe(true);
  await laptop.screenshot({ path: 'tests/.artifacts/e2e/vector-region-pack-panel.png' });
  await laptop.getByText('Offline map').click();
  await laptop.screenshot({ path: 'tests/.artifacts/e2e/vector-region-pack.png' });

  // Past the pack's last zoom (12) the tiles are drawn from their zoom-12 ancestors, still sharp and in place.
  // Double-click the lake shore until the map is two levels past the pack. On a loaded machine a
  // double-click can land while the map is still settling and be taken as two clicks, so each
  // step may take more than one (as a person would simply double-click again).
  for (let tries = 0; tries < 4 && (await checkPixels(laptop)).zoom < 14; tries++) {
    const before = (await checkPixels(laptop)).zoom;
    await expect(async () => {
      const lakeShore = await screenPoint(laptop, lake.west + 0.01, 41.9);
      if (!lakeShore) throw new Error('the lake is not in view');
      await laptop.mouse.dblclick(lakeShore.x, lakeShore.y);
      await expect.poll(async () => (await checkPixels(laptop)).zoom, { timeout: 5_000 }).toBeGreaterThan(before);
    }).toPass({ timeout: 30_000 });
  }
  await expect.poll(async () => {
    const seen = await checkPixels(laptop);
    return { zoom: seen.zoom >= 14, clean: seen.wrong, water: seen.water > 0, land: seen.land > 0 };
  }).toEqual({ zoom: true, clean: [], water: true, land: true });
  await laptop.screenshot({ path: 'tests/.artifacts/e2e/vector-region-pack-enlarged.png' });

  // Kept on the laptop: after a reload with no server, the pack opens and draws again.
  await laptop.reload();
  await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
  await laptop.getByText('Offline map').click();
  await expect(laptop.getByText('chicago-vector.pmtiles', { exact: true })).toBeVisible();
  await expect.poll(async () => {
    const seen = await checkPixels(laptop);
    return seen.wrong.length === 0 && seen.land + seen.water + seen.park > 0;
  }).toBe(true);
});
