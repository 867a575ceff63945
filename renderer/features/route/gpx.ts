/** One stop in a GPX export, in visiting order. */
export interface GpxStop {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  /** Planned arrival, ISO 8601 UTC. */
  readonly arrival: string | null;
  readonly description: string;
}

export interface GpxDay {
  readonly name: string;
  readonly start: { readonly lat: number; readonly lon: number; readonly label: string };
  readonly stops: readonly GpxStop[];
  readonly createdAt: string;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even escaped; a pasted note can carry them.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const coordinate = (value: number) => value.toFixed(6);

/**
 * The day as GPX 1.1: waypoints in visiting order (devices that list waypoints show the
 * stops), plus one route through start and stops (devices that navigate follow the route).
 */
export function buildGpx(day: GpxDay): string {
  const point = (tag: string, lat: number, lon: number, body: string) =>
    `<${tag} lat="${coordinate(lat)}" lon="${coordinate(lon)}">${body}</${tag}>`;
  const stopBody = (stop: GpxStop, index: number) =>
    (stop.arrival ? `<time>${escapeXml(stop.arrival)}</time>` : '') +
    `<name>${escapeXml(`${index + 1}. ${stop.name}`)}</name>` +
    `<desc>${escapeXml(stop.description)}</desc><type>stop</type>`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Reclaim" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${escapeXml(day.name)}</name><time>${escapeXml(day.createdAt)}</time></metadata>`,
    ...day.stops.map((stop, i) => `  ${point('wpt', stop.lat, stop.lon, stopBody(stop, i))}`),
    `  <rte><name>${escapeXml(day.name)}</name>`,
    `    ${point('rtept', day.start.lat, day.start.lon, `<name>${escapeXml(`Start: ${day.start.label}`)}</name>`)}`,
    ...day.stops.map((stop, i) => `    ${point('rtept', stop.lat, stop.lon, stopBody(stop, i))}`),
    '  </rte>',
    '</gpx>',
    '',
  ];
  return lines.join('\n');
}

/** "reclaim-route-2026-03-08.gpx": a plain name the bridge's file-name check accepts. */
export function gpxFileName(day: string): string {
  return `reclaim-route-${day}.gpx`;
}
