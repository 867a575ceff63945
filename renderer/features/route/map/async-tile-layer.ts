import L from 'leaflet';

export interface TileBytes {
  readonly bytes: ArrayBuffer;
  readonly contentType: string;
}

export type TileLoader = (z: number, x: number, y: number, signal: AbortSignal) => Promise<TileBytes | null>;

interface PendingTile {
  readonly controller: AbortController;
  objectUrl: string | null;
}

/**
 * A Leaflet grid layer whose tiles come from an async loader (the tile cache, the network,
 * a PMTiles pack) rather than an <img src>. A tile the loader cannot provide stays transparent,
 * so the layers beneath (a region pack, the bundled base map) show through instead of grey.
 */
export class AsyncTileLayer extends L.GridLayer {
  private readonly pending = new WeakMap<HTMLElement, PendingTile>();

  constructor(
    private readonly loader: TileLoader,
    options: L.GridLayerOptions,
  ) {
    super(options);
    this.on('tileunload', (event: L.TileEvent) => this.release(event.tile));
  }

  override createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const tile = document.createElement('img');
    tile.alt = '';
    tile.setAttribute('role', 'presentation');
    const entry: PendingTile = { controller: new AbortController(), objectUrl: null };
    this.pending.set(tile, entry);
    this.loader(coords.z, coords.x, coords.y, entry.controller.signal)
      .then((loaded) => {
        if (!loaded || entry.controller.signal.aborted) {
          done(new Error('no tile here'), tile);
          return;
        }
        entry.objectUrl = URL.createObjectURL(new Blob([loaded.bytes], { type: loaded.contentType }));
        tile.onload = () => done(undefined, tile);
        tile.onerror = () => done(new Error('the tile image is damaged'), tile);
        tile.src = entry.objectUrl;
      })
      .catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error)), tile));
    return tile;
  }

  /** Panning away cancels tiles still loading and frees the decoded images' object URLs. */
  private release(tile: HTMLElement): void {
    const entry = this.pending.get(tile);
    if (!entry) return;
    entry.controller.abort();
    if (entry.objectUrl) URL.revokeObjectURL(entry.objectUrl);
    this.pending.delete(tile);
  }
}
