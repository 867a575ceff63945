/** A point in degrees. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

export interface Box {
  readonly south: number;
  readonly west: number;
  readonly north: number;
  readonly east: number;
}

/** The box two drag corners span, whichever way the dispatcher dragged. */
export function boxBetween(a: LatLon, b: LatLon): Box {
  return { south: Math.min(a.lat, b.lat), north: Math.max(a.lat, b.lat), west: Math.min(a.lon, b.lon), east: Math.max(a.lon, b.lon) };
}

export function insideBox(point: LatLon, box: Box): boolean {
  return point.lat >= box.south && point.lat <= box.north && point.lon >= box.west && point.lon <= box.east;
}

/**
 * Even-odd ray casting in plain degrees. A dispatcher's lasso spans a city, not an ocean, so
 * treating degrees as flat is exact enough, and a self-crossing scribble still behaves.
 */
export function insideRing(point: LatLon, ring: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (a.lat > point.lat !== b.lat > point.lat && point.lon < ((b.lon - a.lon) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
  }
  return inside;
}

/** The drawn area: a box (Shift+drag, or the box tool) or a freehand lasso. */
export type DrawnArea = { readonly kind: 'box'; readonly box: Box } | { readonly kind: 'lasso'; readonly ring: readonly LatLon[] };

export function boundsOf(ring: readonly LatLon[]): Box {
  return ring.reduce<Box>(
    (box, p) => ({ south: Math.min(box.south, p.lat), north: Math.max(box.north, p.lat), west: Math.min(box.west, p.lon), east: Math.max(box.east, p.lon) }),
    { south: Infinity, north: -Infinity, west: Infinity, east: -Infinity },
  );
}

/** The ids of the points inside the area; a lasso checks its bounding box first, the cheap test. */
export function idsInArea<T extends LatLon & { readonly id: string }>(points: readonly T[], area: DrawnArea): string[] {
  if (area.kind === 'box') return points.filter((point) => insideBox(point, area.box)).map((point) => point.id);
  if (area.ring.length < 3) return [];
  const bounds = boundsOf(area.ring);
  return points.filter((point) => insideBox(point, bounds) && insideRing(point, area.ring)).map((point) => point.id);
}
