import type { VectorTile } from '@mapbox/vector-tile';
import L from 'leaflet';
import type { TileLoader } from './async-tile-layer';
import { drawItems, parseVectorTile, viewForTile, type DrawItem, type TileAddress } from './vector-tile-decode';
import { lineWidthAt, palette } from './vector-tile-style';

/** Decoded tiles kept for reuse: at deep zoom many requested tiles share one stored ancestor. */
const decodedTilesKept = 64;

export interface VectorTileLayerOptions extends L.GridLayerOptions {
  /** The deepest zoom the pack stores; deeper views enlarge its tiles. */
  readonly packMaxZoom: number;
  readonly packMinZoom: number;
}

/**
 * Draws a vector region pack: each tile's features painted on a canvas with the style in
 * vector-tile-style.ts. A tile the pack lacks stays transparent, so the bundled base map
 * shows through instead of grey.
 */
export class VectorTileLayer extends L.GridLayer {
  private readonly decoded = new Map<string, Promise<VectorTile | null>>();
  private readonly packMaxZoom: number;
  private readonly packMinZoom: number;

  constructor(
    private readonly loader: TileLoader,
    options: VectorTileLayerOptions,
  ) {
    super(options);
    this.packMaxZoom = options.packMaxZoom;
    this.packMinZoom = options.packMinZoom;
  }

  override createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const size = this.getTileSize();
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(size.x * ratio);
    canvas.height = Math.round(size.y * ratio);
    canvas.setAttribute('role', 'presentation');
    // Which tile this is, for anyone inspecting the map (and for the end-to-end test's pixel checks).
    canvas.dataset.tile = `${coords.z}/${coords.x}/${coords.y}`;
    if (coords.z < this.packMinZoom) {
      queueMicrotask(() => done(new Error('the pack starts at a deeper zoom'), canvas));
      return canvas;
    }
    const view = viewForTile({ z: coords.z, x: coords.x, y: coords.y }, this.packMaxZoom);
    this.tileAt(view.source)
      .then((tile) => {
        const context = canvas.getContext('2d');
        if (!tile || !context) {
          done(new Error('no tile here'), canvas);
          return;
        }
        context.scale(ratio, ratio);
        paintTile(context, drawItems(tile, coords.z, view, size.x), coords.z, size.x);
        done(undefined, canvas);
      })
      .catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error)), canvas));
    return canvas;
  }

  private tileAt(address: TileAddress): Promise<VectorTile | null> {
    const key = `${address.z}/${address.x}/${address.y}`;
    const kept = this.decoded.get(key);
    if (kept) {
      // Most recently used last, so the oldest is the first key when trimming.
      this.decoded.delete(key);
      this.decoded.set(key, kept);
      return kept;
    }
    // Not tied to one canvas's life: the ancestor tile serves its siblings too.
    const loading = this.loader(address.z, address.x, address.y, new AbortController().signal).then((loaded) =>
      loaded ? parseVectorTile(loaded.bytes) : null,
    );
    loading.catch(() => this.decoded.delete(key));
    this.decoded.set(key, loading);
    while (this.decoded.size > decodedTilesKept) {
      const oldest = this.decoded.keys().next().value;
      if (oldest === undefined) break;
      this.decoded.delete(oldest);
    }
    return loading;
  }
}

function tracePath(context: CanvasRenderingContext2D, rings: DrawItem['rings'], close: boolean): void {
  context.beginPath();
  for (const ring of rings) {
    ring.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
    if (close) context.closePath();
  }
}

/** Roads and rails are drawn from this paint order up; everything under them is areas. */
const roadOrder = 40;

function paintTile(context: CanvasRenderingContext2D, items: readonly DrawItem[], zoom: number, tileSize: number): void {
  // The land colour under everything: a vector pack covers its area edge to edge.
  context.fillStyle = palette.land;
  context.fillRect(0, 0, tileSize, tileSize);
  context.lineJoin = 'round';
  context.lineCap = 'round';
  const under = items.filter((item) => item.style.order < roadOrder);
  const over = items.filter((item) => item.style.order >= roadOrder);
  under.forEach((item) => paintItem(context, item, zoom));
  // Every road's edge before any road's surface, so crossings join instead of being cut by edges.
  over.forEach((item) => paintCasing(context, item, zoom));
  over.forEach((item) => paintItem(context, item, zoom));
}

function paintCasing(context: CanvasRenderingContext2D, { style, rings }: DrawItem, zoom: number): void {
  if (style.kind !== 'line' || !style.casing) return;
  const width = lineWidthAt(style.width, zoom);
  if (width < 1.5) return;
  tracePath(context, rings, false);
  context.setLineDash([]);
  context.strokeStyle = style.casing;
  context.lineWidth = width + 1.5;
  context.stroke();
}

function paintItem(context: CanvasRenderingContext2D, { style, rings }: DrawItem, zoom: number): void {
  if (style.kind === 'fill') {
    tracePath(context, rings, true);
    context.fillStyle = style.fill;
    context.fill('evenodd');
    if (style.stroke && zoom >= 15) {
      context.strokeStyle = style.stroke;
      context.lineWidth = 0.8;
      context.setLineDash([]);
      context.stroke();
    }
  } else if (style.kind === 'line') {
    const width = lineWidthAt(style.width, zoom);
    tracePath(context, rings, false);
    context.setLineDash(style.dash ? [...style.dash] : []);
    // Too thin for an edge, a white road is drawn in its edge colour so it still shows on pale land.
    context.strokeStyle = style.casing && style.color === palette.minor && width < 1.5 ? style.casing : style.color;
    context.lineWidth = width;
    context.stroke();
  } else {
    const point = rings[0]?.[0];
    if (!point) return;
    context.setLineDash([]);
    context.font = `600 ${style.size}px system-ui, sans-serif`;
    context.textAlign = 'center';
    context.textBaseline = 'middle';
    context.lineWidth = 3;
    context.strokeStyle = 'rgba(255, 255, 255, 0.9)';
    context.strokeText(style.text, point[0], point[1]);
    context.fillStyle = palette.label;
    context.fillText(style.text, point[0], point[1]);
  }
}
