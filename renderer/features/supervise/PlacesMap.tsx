import type { CustodyEvent } from '../../../shared/custody/custody-event';

/**
 * Where each event happened, as numbered points on a small plot scaled to fit (no map tiles:
 * evidence views must not leak locations to a tile server). Each point links to OpenStreetMap.
 */
export function PlacesMap({ events }: { events: readonly CustodyEvent[] }) {
  const placed = events.flatMap((event, index) => (event.place ? [{ number: index + 1, kind: event.kind, ...event.place }] : []));
  if (placed.length === 0) return <p className="supervise-muted">No places were recorded.</p>;
  const lats = placed.map((point) => point.lat);
  const lons = placed.map((point) => point.lon);
  const pad = 0.01;
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats) - pad, Math.max(...lats) + pad, Math.min(...lons) - pad, Math.max(...lons) + pad];
  const x = (lon: number) => 10 + ((lon - minLon) / (maxLon - minLon)) * 260;
  const y = (lat: number) => 150 - ((lat - minLat) / (maxLat - minLat)) * 140;
  return (
    <figure className="supervise-map">
      {/* A group, not an image: each point is a link, and an image's content cannot be operated. */}
      <svg viewBox="0 0 280 160" role="group" aria-label={`Places of ${placed.length} events`}>
        <rect x="0" y="0" width="280" height="160" rx="6" className="supervise-map-ground" aria-hidden="true" />
        <polyline points={placed.map((point) => `${x(point.lon)},${y(point.lat)}`).join(' ')} className="supervise-map-path" />
        {placed.map((point) => (
          <a key={point.number} href={`https://www.openstreetmap.org/?mlat=${point.lat}&mlon=${point.lon}#map=17/${point.lat}/${point.lon}`} target="_blank" rel="noreferrer" aria-label={`Event ${point.number}, ${point.kind}, on OpenStreetMap`}>
            <circle cx={x(point.lon)} cy={y(point.lat)} r="9" className="supervise-map-point" />
            <text x={x(point.lon)} y={y(point.lat) + 4} textAnchor="middle" className="supervise-map-label">
              {point.number}
            </text>
            <title>{`${point.number}. ${point.kind} at ${point.lat.toFixed(5)}, ${point.lon.toFixed(5)}`}</title>
          </a>
        ))}
      </svg>
      <figcaption>{placed.length} places; numbers are the events below.</figcaption>
    </figure>
  );
}
