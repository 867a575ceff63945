import { z } from 'zod';

export const GeoPoint = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});
export type GeoPoint = z.infer<typeof GeoPoint>;

/**
 * Travel between every pair of places, row = from, column = to. Both matrices are square and
 * the same size; they need not be symmetric (one-way streets, OSRM).
 */
export interface TravelMatrix {
  readonly durationsS: number[][];
  readonly distancesM: number[][];
  /** Where the figures came from; `offline` means estimated from straight-line distance. */
  readonly source: 'offline' | 'osrm';
}

export interface OfflineTravelSettings {
  /** Roads are longer than the straight line; 1.3 is a common urban-suburban figure. */
  readonly detourFactor: number;
  readonly averageSpeedKmh: number;
}

export const defaultOfflineTravel: OfflineTravelSettings = { detourFactor: 1.3, averageSpeedKmh: 40 };

/** Mean Earth radius (IUGG), metres. */
export const earthRadiusM = 6_371_008.8;

/** Great-circle distance in metres (haversine formula). */
export function greatCircleMetres(a: GeoPoint, b: GeoPoint): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The matrix the planner uses with no signal: great-circle distance stretched by the detour
 * factor, driven at the average speed. Rough, but it orders stops sensibly and gives ETAs an
 * agent can plan by.
 */
export function offlineTravelMatrix(
  points: readonly GeoPoint[],
  settings: Partial<OfflineTravelSettings> = {},
): TravelMatrix {
  const { detourFactor, averageSpeedKmh } = { ...defaultOfflineTravel, ...settings };
  if (!(detourFactor >= 1)) throw new RangeError('the road-detour factor must be at least 1');
  if (!(averageSpeedKmh > 0)) throw new RangeError('the average speed must be above zero');
  const metresPerSecond = (averageSpeedKmh * 1000) / 3600;
  const distancesM = points.map((from) => points.map((to) => greatCircleMetres(from, to) * detourFactor));
  const durationsS = distancesM.map((row) => row.map((metres) => metres / metresPerSecond));
  return { durationsS, distancesM, source: 'offline' };
}
