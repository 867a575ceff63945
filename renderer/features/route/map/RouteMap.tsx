import 'leaflet/dist/leaflet.css';
import type L from 'leaflet';
import { CircleMarker, MapContainer, Marker, Polyline, Tooltip } from 'react-leaflet';
import { jobStatusLabels } from '../../../../shared/domain/job-status';
import type { LocalJob } from '../../../db/schema';
import type { RouteStart } from '../route-request';
import { BaseMapLayer, CachedTileLayer, FitToPoints, RegionPackLayer, ViewReporter } from './map-layers';
import { startIcon, statusColours, stopIcon } from './marker-style';
import type { OpenRegionPack } from './region-pack';

export interface MapStop {
  readonly job: LocalJob & { address: { lat: number; lon: number } };
  readonly eta: string | null;
  readonly broken: boolean;
}

interface RouteMapProps {
  readonly jobs: readonly LocalJob[];
  readonly pickedJobIds: ReadonlySet<string>;
  readonly stops: readonly MapStop[];
  readonly start: RouteStart | null;
  /** A road-following line when OSRM gave one; otherwise straight segments are drawn. */
  readonly roadLine: readonly [number, number][] | null;
  readonly tileTemplate: string;
  readonly tileAttribution: string;
  readonly regionPack: OpenRegionPack | null;
  readonly onView: (view: { bounds: L.LatLngBounds; zoom: number }) => void;
}

/** Chicago's Loop: where the demo organisation works, and a sane view before any job loads. */
const initialCentre: [number, number] = [41.8819, -87.6278];

export function RouteMap(props: RouteMapProps) {
  const { jobs, pickedJobIds, stops, start, roadLine } = props;
  const stopIds = new Set(stops.map((stop) => stop.job.id));
  const located = jobs.filter((job): job is MapStop['job'] => job.address.lat !== null && job.address.lon !== null);
  const straight: [number, number][] = [
    ...(start ? [[start.lat, start.lon] as [number, number]] : []),
    ...stops.map((stop) => [stop.job.address.lat, stop.job.address.lon] as [number, number]),
  ];
  const framed = stops.length > 0 ? straight : located.map((job) => [job.address.lat, job.address.lon] as [number, number]);

  return (
    <MapContainer className="route-map" center={initialCentre} zoom={11} zoomControl aria-label="Route map">
      <BaseMapLayer />
      <RegionPackLayer pack={props.regionPack} />
      <CachedTileLayer template={props.tileTemplate} attribution={props.tileAttribution} />
      <FitToPoints points={framed} />
      <ViewReporter onView={props.onView} />
      {located
        .filter((job) => !stopIds.has(job.id))
        .map((job) => (
          <CircleMarker
            key={job.id}
            center={[job.address.lat, job.address.lon]}
            radius={pickedJobIds.has(job.id) ? 8 : 6}
            pathOptions={{ color: '#ffffff', weight: 2, fillColor: statusColours[job.status], fillOpacity: pickedJobIds.has(job.id) ? 1 : 0.75 }}
          >
            <Tooltip>
              {job.customer.name} · {jobStatusLabels[job.status]}
            </Tooltip>
          </CircleMarker>
        ))}
      {straight.length > 1 ? (
        <Polyline
          // Leaflet sets a path's class only when it is made, so a change of kind makes a new line.
          key={roadLine ? 'road' : 'straight'}
          className={roadLine ? 'route-line route-line-road' : 'route-line route-line-straight'}
          positions={roadLine && roadLine.length > 1 ? [...roadLine] : straight}
          pathOptions={{ color: '#1f4e79', weight: 4, opacity: 0.8, dashArray: roadLine ? undefined : '8 6' }}
        />
      ) : null}
      {start ? (
        <Marker position={[start.lat, start.lon]} icon={startIcon}>
          <Tooltip>Start: {start.label}</Tooltip>
        </Marker>
      ) : null}
      {stops.map((stop, i) => (
        <Marker key={stop.job.id} position={[stop.job.address.lat, stop.job.address.lon]} icon={stopIcon(i + 1, stop.broken)}>
          <Tooltip>
            {i + 1}. {stop.job.customer.name}
            {stop.eta ? ` · ETA ${stop.eta}` : ''}
          </Tooltip>
        </Marker>
      ))}
    </MapContainer>
  );
}
