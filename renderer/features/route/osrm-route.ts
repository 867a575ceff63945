import { z } from 'zod';
import type { GeoPoint } from '../../../shared/route';

/** The part of OSRM's `route` answer the map draws (HTTP API v5, geometries=geojson). */
const OsrmRouteAnswer = z.object({
  code: z.string(),
  routes: z
    .array(z.object({ geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) }) }))
    .optional(),
});

/** A road-following line through the points, or null when the service cannot give one in time. */
export async function fetchRouteGeometry(baseUrl: string, points: readonly GeoPoint[], timeoutMs = 5000): Promise<[number, number][] | null> {
  if (points.length < 2) return null;
  const coordinates = points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
  const url = `${baseUrl.replace(/\/+$/, '')}/route/v1/driving/${coordinates}?overview=full&geometries=geojson`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) return null;
    const parsed = OsrmRouteAnswer.safeParse(await response.json());
    const line = parsed.success && parsed.data.code === 'Ok' ? parsed.data.routes?.[0]?.geometry.coordinates : undefined;
    // Leaflet wants [lat, lon]; GeoJSON gives [lon, lat].
    return line ? line.map(([lon, lat]) => [lat, lon]) : null;
  } catch {
    return null;
  }
}
