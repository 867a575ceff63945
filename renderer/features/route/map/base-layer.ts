import type { FeatureCollection, Geometry } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { z } from 'zod';
import statesTopologyUrl from 'us-atlas/states-10m.json?url';

export interface BaseMap {
  readonly land: FeatureCollection<Geometry>;
  readonly borders: Geometry;
}

/**
 * Enough of a TopoJSON topology to be sure the bundled file is the one expected; loose, because
 * the quantization `transform` and `bbox` the decoder needs must pass through untouched.
 */
const StatesTopology = z.looseObject({
  type: z.literal('Topology'),
  arcs: z.array(z.array(z.array(z.number()))),
  objects: z.looseObject({ nation: z.looseObject({ type: z.string() }), states: z.looseObject({ type: z.string() }) }),
});

let loaded: Promise<BaseMap> | null = null;

/**
 * Layer 4 of the offline map: US state outlines (us-atlas, Census Bureau 1:10m) shipped with
 * the app and served from its own origin, so a map with no tiles at all still shows where the
 * stops are. Loaded once, on the first map.
 */
export function loadBaseMap(): Promise<BaseMap> {
  loaded ??= (async () => {
    const response = await fetch(statesTopologyUrl);
    const topology = StatesTopology.parse(await response.json()) as unknown as Topology<{
      nation: GeometryCollection;
      states: GeometryCollection;
    }>;
    const land = feature(topology, topology.objects.nation);
    const borders = mesh(topology, topology.objects.states, (a, b) => a !== b);
    return { land: land as FeatureCollection<Geometry>, borders };
  })();
  loaded.catch(() => {
    loaded = null;
  });
  return loaded;
}
