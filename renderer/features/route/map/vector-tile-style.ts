/**
 * How a vector region pack is drawn: a plain, legible map for finding a door, not a
 * cartographer's one. Rules read the layer and feature names that both OpenMapTiles
 * (`water`, `landcover`, `transportation` with `class`, `boundary` with `admin_level`, `place`)
 * and Protomaps (`earth`, `water`, `landuse`, `roads` with `kind`, `boundaries`, `places`)
 * use, so a pack built with either schema draws; a layer neither uses falls back to a quiet
 * grey, so unknown data still shows rather than vanishing.
 */

export type GeometryKind = 'point' | 'line' | 'polygon';

export type FeatureStyle =
  | { readonly kind: 'fill'; readonly order: number; readonly fill: string; readonly stroke?: string }
  | {
      readonly kind: 'line';
      readonly order: number;
      readonly color: string;
      /** At zoom 14; thinner when zoomed out, wider when zoomed in. */
      readonly width: number;
      readonly dash?: readonly number[];
      /** A darker edge drawn first, so pale roads stand out from pale land. */
      readonly casing?: string;
    }
  | { readonly kind: 'label'; readonly order: number; readonly text: string; readonly size: number };

export type FeatureProperties = Readonly<Record<string, string | number | boolean>>;

export const palette = {
  land: '#f3efe6',
  water: '#a8cfee',
  park: '#cfe5bf',
  wood: '#b9d8a6',
  urban: '#ebe6dc',
  industrial: '#e6dfe6',
  sand: '#f1e6c4',
  building: '#dcd4c7',
  buildingEdge: '#c8bfb1',
  motorway: '#e8955a',
  major: '#f6cf72',
  minor: '#ffffff',
  roadCasing: '#bdb3a3',
  path: '#a89a82',
  rail: '#9d9d9d',
  boundary: '#8f7fb0',
  other: '#d9d6cf',
  otherLine: '#b8b2a7',
  label: '#333333',
} as const;

const water = new Set(['water', 'waterway', 'ocean', 'lake', 'river']);
const greenKinds = new Set([
  'park', 'grass', 'meadow', 'garden', 'playground', 'recreation_ground', 'pitch', 'golf_course', 'cemetery',
  'nature_reserve', 'national_park', 'protected_area', 'village_green', 'farmland', 'farm', 'allotments', 'scrub',
]);
const woodKinds = new Set(['wood', 'forest', 'wetland']);
const sandKinds = new Set(['sand', 'beach', 'bare_rock', 'rock', 'glacier', 'ice']);
const industrialKinds = new Set(['industrial', 'railway', 'military', 'quarry', 'landfill', 'aerodrome', 'airport']);
const urbanKinds = new Set(['residential', 'commercial', 'retail', 'urban_area', 'neighbourhood', 'school', 'university', 'hospital', 'college']);
const motorways = new Set(['motorway', 'highway', 'trunk', 'motorway_link', 'trunk_link']);
const majorRoads = new Set(['primary', 'major_road', 'primary_link', 'secondary', 'secondary_link', 'medium_road']);
const minorRoads = new Set(['tertiary', 'tertiary_link', 'minor', 'minor_road', 'residential', 'unclassified', 'street', 'service', 'other', 'living_street', 'raceway', 'busway']);
const paths = new Set(['path', 'track', 'footway', 'cycleway', 'pedestrian', 'steps', 'bridleway']);
const rails = new Set(['rail', 'transit', 'subway', 'light_rail', 'tram', 'narrow_gauge', 'monorail', 'funicular']);

/** OpenMapTiles says `class`, Protomaps `kind` (and `pmap:kind` in its older schema). */
function kindOf(properties: FeatureProperties): string {
  const value = properties.kind ?? properties['pmap:kind'] ?? properties.class ?? properties.subclass ?? '';
  return String(value);
}

function kindDetailOf(properties: FeatureProperties): string {
  return String(properties.kind_detail ?? properties['pmap:kind_detail'] ?? properties.subclass ?? '');
}

function areaFill(kind: string, detail: string): string | null {
  for (const candidate of [kind, detail]) {
    if (water.has(candidate)) return palette.water;
    if (woodKinds.has(candidate)) return palette.wood;
    if (greenKinds.has(candidate)) return palette.park;
    if (sandKinds.has(candidate)) return palette.sand;
    if (industrialKinds.has(candidate)) return palette.industrial;
    if (urbanKinds.has(candidate)) return palette.urban;
  }
  return null;
}

function roadStyle(kind: string, detail: string): FeatureStyle | null {
  if (motorways.has(kind) || motorways.has(detail)) return { kind: 'line', order: 44, color: palette.motorway, width: 4, casing: '#c7753d' };
  if (majorRoads.has(kind) || majorRoads.has(detail)) return { kind: 'line', order: 43, color: palette.major, width: 3, casing: palette.roadCasing };
  if (paths.has(kind) || paths.has(detail)) return { kind: 'line', order: 41, color: palette.path, width: 1, dash: [3, 2] };
  if (rails.has(kind) || rails.has(detail)) return { kind: 'line', order: 40, color: palette.rail, width: 1.2, dash: [6, 3] };
  if (kind === 'ferry') return { kind: 'line', order: 39, color: '#6f9fc9', width: 1, dash: [4, 4] };
  if (kind === 'aerialway' || kind === 'pier') return null;
  if (minorRoads.has(kind) || minorRoads.has(detail) || kind === '') return { kind: 'line', order: 42, color: palette.minor, width: 2, casing: palette.roadCasing };
  return { kind: 'line', order: 42, color: palette.minor, width: 1.5, casing: palette.roadCasing };
}

function placeLabel(properties: FeatureProperties, zoom: number): FeatureStyle | null {
  const text = properties.name ?? properties['name:en'] ?? properties['name:latin'];
  if (typeof text !== 'string' || text.trim() === '') return null;
  const kind = kindOf(properties);
  const size =
    kind === 'country' ? 14 : kind === 'state' || kind === 'region' ? 13 : kind === 'city' ? 14 : kind === 'town' || kind === 'locality' ? 12 : 11;
  // Small places crowd the map when zoomed out; the pack's own min zooms thin them too.
  if ((kind === 'neighbourhood' || kind === 'suburb' || kind === 'quarter' || kind === 'hamlet') && zoom < 13) return null;
  return { kind: 'label', order: 60, text: text.trim(), size };
}

/** The style of one feature, or null when it is not drawn (labels of roads and points of interest). */
export function styleFeature(layer: string, geometry: GeometryKind, properties: FeatureProperties, zoom: number): FeatureStyle | null {
  const kind = kindOf(properties);
  const detail = kindDetailOf(properties);
  switch (layer) {
    case 'earth':
    case 'land':
      return geometry === 'polygon' ? { kind: 'fill', order: 1, fill: palette.land } : null;
    case 'water':
    case 'ocean':
      return geometry === 'polygon' ? { kind: 'fill', order: 20, fill: palette.water } : geometry === 'line' ? { kind: 'line', order: 21, color: palette.water, width: 1.5 } : null;
    case 'waterway':
    case 'physical_line':
      return geometry === 'line' ? { kind: 'line', order: 21, color: palette.water, width: kind === 'river' ? 2 : 1 } : null;
    case 'landcover':
    case 'landuse':
    case 'park':
    case 'natural':
    case 'landuse_overlay': {
      if (geometry !== 'polygon') return null;
      const fill = areaFill(kind, detail) ?? (layer === 'park' ? palette.park : null);
      return fill ? { kind: 'fill', order: fill === palette.water ? 20 : 10, fill } : null;
    }
    case 'building':
    case 'buildings':
      return geometry === 'polygon' ? { kind: 'fill', order: 30, fill: palette.building, stroke: palette.buildingEdge } : null;
    case 'transportation':
    case 'roads':
    case 'transit':
      return geometry === 'line' ? roadStyle(layer === 'transit' ? 'rail' : kind, detail) : null;
    case 'aeroway':
      return geometry === 'polygon' ? { kind: 'fill', order: 11, fill: palette.industrial } : geometry === 'line' ? { kind: 'line', order: 40, color: '#c9c2d6', width: 3 } : null;
    case 'boundary':
    case 'boundaries': {
      if (geometry !== 'line') return null;
      const level = Number(properties.admin_level ?? properties['pmap:min_admin_level'] ?? properties.kind_detail ?? 8);
      if (properties.maritime === 1 || properties.maritime === true) return null;
      return level <= 4 || kind === 'country' || kind === 'region'
        ? { kind: 'line', order: 50, color: palette.boundary, width: level <= 2 || kind === 'country' ? 1.6 : 1.1, dash: [6, 4] }
        : null;
    }
    case 'place':
    case 'places':
      return geometry === 'point' ? placeLabel(properties, zoom) : null;
    default:
      return fallbackStyle(layer, geometry);
  }
}

/** Layers no rule names: labels and points of interest are left out, areas and lines drawn quietly. */
function fallbackStyle(layer: string, geometry: GeometryKind): FeatureStyle | null {
  if (geometry === 'point' || /name|label|poi|housenumber|mountain_peak|mask/.test(layer)) return null;
  return geometry === 'polygon' ? { kind: 'fill', order: 5, fill: palette.other } : { kind: 'line', order: 35, color: palette.otherLine, width: 1 };
}

/** A line's width in pixels at a zoom: half at 12, double at 16, never a hairline nor a smear. */
export function lineWidthAt(width: number, zoom: number): number {
  return width * Math.min(2.5, Math.max(0.35, 2 ** ((zoom - 14) / 2)));
}
