import L from 'leaflet';
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { boxBetween, type DrawnArea, type LatLon } from './area-selection';

export type AreaTool = 'off' | 'box' | 'lasso';

interface AreaSelectToolProps {
  readonly tool: AreaTool;
  readonly onArea: (area: DrawnArea) => void;
}

const outline: L.PathOptions = { color: '#1f4e79', weight: 2, dashArray: '6 4', fillColor: '#1f4e79', fillOpacity: 0.08, interactive: false };

/** Closer lasso points than this many pixels add nothing but work. */
const LASSO_STEP_PX = 4;

/**
 * Draws the selection area with the map's own mouse events: Shift+drag always draws a box;
 * with a tool chosen, a plain drag draws that tool's shape and the map stops panning.
 */
export function AreaSelectTool({ tool, onArea }: AreaSelectToolProps) {
  const map = useMap();

  useEffect(() => {
    const container = map.getContainer();
    container.classList.toggle('is-selecting-area', tool !== 'off');
    if (tool !== 'off') map.dragging.disable();
    else map.dragging.enable();

    let drawing: { kind: 'box' | 'lasso'; start: L.LatLng; ring: L.LatLng[]; shape: L.Rectangle | L.Polygon; lastPx: L.Point } | null = null;
    const toLatLon = (point: L.LatLng): LatLon => ({ lat: point.lat, lon: point.lng });

    const down = (event: L.LeafletMouseEvent) => {
      const kind = event.originalEvent.shiftKey ? 'box' : tool === 'off' ? null : tool;
      if (!kind || event.originalEvent.button !== 0) return;
      // Leaflet's panning already ignores Shift+drag; the tools turned it off above.
      const shape = kind === 'box' ? L.rectangle(L.latLngBounds(event.latlng, event.latlng), outline) : L.polygon([event.latlng], outline);
      shape.addTo(map);
      drawing = { kind, start: event.latlng, ring: [event.latlng], shape, lastPx: event.containerPoint };
    };
    const move = (event: L.LeafletMouseEvent) => {
      if (!drawing) return;
      if (drawing.kind === 'box') {
        (drawing.shape as L.Rectangle).setBounds(L.latLngBounds(drawing.start, event.latlng));
        return;
      }
      if (event.containerPoint.distanceTo(drawing.lastPx) < LASSO_STEP_PX) return;
      drawing.ring.push(event.latlng);
      drawing.lastPx = event.containerPoint;
      drawing.shape.setLatLngs(drawing.ring);
    };
    const up = (event: L.LeafletMouseEvent) => {
      if (!drawing) return;
      const done = drawing;
      drawing = null;
      done.shape.remove();
      if (done.kind === 'box') onArea({ kind: 'box', box: boxBetween(toLatLon(done.start), toLatLon(event.latlng)) });
      else onArea({ kind: 'lasso', ring: [...done.ring, event.latlng].map(toLatLon) });
    };

    map.on('mousedown', down);
    map.on('mousemove', move);
    map.on('mouseup', up);
    return () => {
      map.off('mousedown', down);
      map.off('mousemove', move);
      map.off('mouseup', up);
      drawing?.shape.remove();
      container.classList.remove('is-selecting-area');
      map.dragging.enable();
    };
  }, [map, tool, onArea]);
  return null;
}
