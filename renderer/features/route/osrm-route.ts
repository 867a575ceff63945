import { z } from 'zod';
import type { GeoPoint } from '../../../shared/route';

/** The part of OSRM's `route` answer the map draws (HTTP API v5, geometries=geojson). */
const OsrmRouteAnswer = z.object({
  code: z.string(),
  message: z.string().optional(),
  routes: z
    .array(z.object({ geometry: z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])).min(2) }) }))
    .optional(),
});

export type RouteGeometry = { readonly ok: true; readonly line: [number, number][] } | { readonly ok: false; readonly reason: string };

/** A road-following line through the points in order, or why the service could not give one. */
export async function fetchRouteGeometry(baseUrl: string, points: readonly GeoPoint[], timeoutMs = 5000): Promise<RouteGeometry> {
  if (points.length < 2) return { ok: false, reason: 'there is only one place' };
  const coordinates = points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
  const url = `${baseUrl.replace(/\/+$/, '')}/route/v1/driving/${coordinates}?overview=full&geometries=geojson`;
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok && response.status !== 400) return { ok: false, reason: `the routing service answered HTTP ${response.status}` };
    body = await response.json();
  } catch (error) {
    return { ok: false, reason: `the routing service could not be reached (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = OsrmRouteAnswer.safeParse(body);
  if (!parsed.success) return { ok: false, reason: 'the routing service sent an answer that is not an OSRM route' };
  const { code, message, routes } = parsed.data;
  const line = routes?.[0]?.geometry.coordinates;
  if (code !== 'Ok' || !line) return { ok: false, reason: `the routing service found no route (${code}${message ? `: ${message}` : ''})` };
  // Leaflet wants [lat, lon]; GeoJSON gives [lon, lat].
  return { ok: true, line: line.map(([lon, lat]) => [lat, lon]) };
}
