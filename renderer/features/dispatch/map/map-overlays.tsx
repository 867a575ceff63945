import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { Marker, Tooltip, useMap } from 'react-leaflet';
import type { MapAgent, MapView } from '../../../../shared/dispatch/dispatch-map-api';
import { timeAgo } from '../dispatch-text';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

/** Each agent at the last place there is evidence of, labelled with how old that evidence is. */
export function AgentMarkers({ agents }: { readonly agents: readonly MapAgent[] }) {
  return (
    <>
      {agents.map((agent) =>
        agent.lastPosition ? (
          <Marker
            key={agent.id}
            position={[agent.lastPosition.lat, agent.lastPosition.lon]}
            icon={L.divIcon({ className: 'agent-marker', html: `<span>${initials(agent.displayName)}</span>`, iconSize: [30, 30], iconAnchor: [15, 15] })}
            zIndexOffset={1000}
          >
            <Tooltip>
              {agent.displayName}: {agent.lastPosition.source === 'visit' ? 'at a visit' : 'at a job they updated'} {timeAgo(agent.lastPosition.at)}
              {agent.lastSyncAt ? ` · synced ${timeAgo(agent.lastSyncAt)}` : ' · never synced'}
            </Tooltip>
          </Marker>
        ) : null,
      )}
    </>
  );
}

/** Frames every located job (the server's extent) the first time it arrives; later answers keep the dispatcher's view. */
export function FrameJobsOnce({ extent }: { readonly extent: MapView['extent'] }) {
  const map = useMap();
  const framed = useRef(false);
  useEffect(() => {
    if (framed.current || extent === null) return;
    framed.current = true;
    map.fitBounds([[extent.south, extent.west], [extent.north, extent.east]], { padding: [40, 40], maxZoom: 15 });
  }, [map, extent]);
  return null;
}

/** While a pin is being placed, the next click on the map is where the job is. */
export function PinPlacement({ active, onPlace }: { readonly active: boolean; readonly onPlace: (lat: number, lon: number) => void }) {
  const map = useMap();
  useEffect(() => {
    if (!active) return;
    const container = map.getContainer();
    container.classList.add('is-placing-pin');
    const click = (event: L.LeafletMouseEvent) => onPlace(event.latlng.lat, event.latlng.lng);
    map.on('click', click);
    return () => {
      map.off('click', click);
      container.classList.remove('is-placing-pin');
    };
  }, [map, active, onPlace]);
  return null;
}

/** Moves the map to a place the side panel asked for (an agent's last position). */
export function FlyTo({ target }: { readonly target: { lat: number; lon: number; at: number } | null }) {
  const map = useMap();
  useEffect(() => {
    if (target) map.flyTo([target.lat, target.lon], Math.max(map.getZoom(), 14), { duration: 0.5 });
  }, [map, target]);
  return null;
}
