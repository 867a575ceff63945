import L from 'leaflet';
import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { AsyncTileLayer } from './async-tile-layer';
import { loadBaseMap } from './base-layer';
import type { OpenRegionPack } from './region-pack';
import { cachedTileLoader } from './tile-source';
import { VectorTileLayer } from './vector-tile-layer';

/** Layer 4: state outlines under everything, in their own pane below the tiles. */
export function BaseMapLayer() {
  const map = useMap();
  useEffect(() => {
    const pane = map.getPane('base-map') ?? map.createPane('base-map');
    pane.style.zIndex = '150';
    let layer: L.Layer | null = null;
    let cancelled = false;
    void loadBaseMap()
      .then((base) => {
        if (cancelled) return;
        layer = L.layerGroup([
          L.geoJSON(base.land, { pane: 'base-map', interactive: false, style: { color: '#b6c0ca', weight: 1, fillColor: '#f6f4ee', fillOpacity: 1 } }),
          L.geoJSON(base.borders, { pane: 'base-map', interactive: false, style: { color: '#c3ccd5', weight: 1, dashArray: '4 3', fill: false } }),
        ]).addTo(map);
      })
      // Without even the bundled outlines the plain background still shows the stops.
      .catch(() => undefined);
    return () => {
      cancelled = true;
      layer?.remove();
    };
  }, [map]);
  return null;
}

/** Layer 1 (and 2's saved tiles): the configured tile source through the IndexedDB cache. */
export function CachedTileLayer({ template, attribution }: { template: string; attribution: string }) {
  const map = useMap();
  useEffect(() => {
    const layer = new AsyncTileLayer(cachedTileLoader(template), { attribution, maxZoom: 19, zIndex: 2 }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, template, attribution]);
  return null;
}

/** Layer 3: a raster or vector region pack, drawn beneath the live tiles so either may fill a gap. */
export function RegionPackLayer({ pack }: { pack: OpenRegionPack | null }) {
  const map = useMap();
  useEffect(() => {
    if (!pack) return;
    const common = {
      minZoom: 0,
      maxZoom: 19,
      bounds: L.latLngBounds([pack.bounds.south, pack.bounds.west], [pack.bounds.north, pack.bounds.east]),
      zIndex: 1,
      attribution: `Region pack: ${pack.name}`,
    };
    const layer = (
      pack.kind === 'vector'
        ? // Drawn afresh at every zoom, past the pack's last one too, so lines stay sharp.
          new VectorTileLayer(pack.load, { ...common, className: 'region-pack-vector', packMinZoom: pack.minZoom, packMaxZoom: pack.maxZoom })
        : // Past the pack's last zoom Leaflet enlarges its deepest tiles rather than showing nothing.
          new AsyncTileLayer(pack.load, { ...common, maxNativeZoom: pack.maxZoom, minNativeZoom: pack.minZoom })
    ).addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, pack]);
  return null;
}

/** Frames the stops whenever the set of points changes (not on every ETA update). */
export function FitToPoints({ points }: { points: readonly [number, number][] }) {
  const map = useMap();
  const key = JSON.stringify(points);
  useEffect(() => {
    const parsed = JSON.parse(key) as [number, number][];
    if (parsed.length === 0) return;
    map.fitBounds(L.latLngBounds(parsed), { padding: [36, 36], maxZoom: 15 });
  }, [map, key]);
  return null;
}

/** Hands the map's current view to panels outside the map (Save this area). */
export function ViewReporter({ onView }: { onView: (view: { bounds: L.LatLngBounds; zoom: number }) => void }) {
  const map = useMap();
  useEffect(() => {
    const report = () => onView({ bounds: map.getBounds(), zoom: map.getZoom() });
    report();
    map.on('moveend', report);
    return () => {
      map.off('moveend', report);
    };
  }, [map, onView]);
  return null;
}
