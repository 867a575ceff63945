/** The part of geojson-vt (no published types) the test fixtures use. */
declare module 'geojson-vt' {
  import type { FeatureCollection } from 'geojson';

  export interface GeoJsonVtTile {
    readonly features: readonly unknown[];
  }

  export interface GeoJsonVtOptions {
    readonly maxZoom?: number;
    readonly indexMaxZoom?: number;
    readonly tolerance?: number;
    readonly extent?: number;
    readonly buffer?: number;
  }

  export interface GeoJsonVtIndex {
    getTile(z: number, x: number, y: number): GeoJsonVtTile | null;
  }

  export default function geojsonvt(data: FeatureCollection, options?: GeoJsonVtOptions): GeoJsonVtIndex;
}

/** The part of vt-pbf (no published types) the test fixtures use. */
declare module 'vt-pbf' {
  import type { GeoJsonVtTile } from 'geojson-vt';

  export function fromGeojsonVt(layers: Readonly<Record<string, GeoJsonVtTile>>, options?: { version?: number; extent?: number }): Uint8Array;
}
