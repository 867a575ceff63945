import type { ReclaimDatabase, TileCacheRow } from './schema';

export interface CachedTile {
  readonly bytes: ArrayBuffer;
  readonly contentType: string;
}

export interface TileCacheUsage {
  readonly bytes: number;
  readonly tiles: number;
}

/** 200 MB: a metro area at street zooms, small next to a laptop disk, large next to a browser quota. */
export const defaultTileCacheCapBytes = 200 * 1024 * 1024;

/**
 * Reading a tile refreshes its "last used" stamp only this often: a write per tile per pan
 * would cost more than an exact LRU order is worth.
 */
const touchEveryMs = 60 * 60 * 1000;

export function tileKey(sourceKey: string, z: number, x: number, y: number): string {
  return `${sourceKey}/${z}/${x}/${y}`;
}

/**
 * Map tiles kept in IndexedDB so the map still draws with no signal. Tiles seen while browsing
 * are evicted oldest-first when the cap is passed; tiles saved on purpose (pinned) never are.
 */
export class TileCache {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly capBytes: number = defaultTileCacheCapBytes,
    private readonly now: () => number = Date.now,
  ) {}

  async get(sourceKey: string, z: number, x: number, y: number): Promise<CachedTile | null> {
    const row = await this.db.tileCache.get(tileKey(sourceKey, z, x, y));
    if (!row) return null;
    const now = this.now();
    if (now - row.lastUsedAt > touchEveryMs) await this.db.tileCache.update(row.key, { lastUsedAt: now });
    return { bytes: row.bytes, contentType: row.contentType };
  }

  async has(sourceKey: string, z: number, x: number, y: number): Promise<boolean> {
    return (await this.db.tileCache.where('key').equals(tileKey(sourceKey, z, x, y)).count()) > 0;
  }

  /** Stores a tile (replacing any older copy) and evicts browsed tiles if the cap is passed. */
  async put(sourceKey: string, z: number, x: number, y: number, tile: CachedTile, pinned = false): Promise<void> {
    const key = tileKey(sourceKey, z, x, y);
    const { tileCache, tileCacheUsage } = this.db;
    await this.db.transaction('rw', [tileCache, tileCacheUsage], async () => {
      const previous = await tileCache.get(key);
      const row: TileCacheRow = {
        key,
        sourceKey,
        bytes: tile.bytes,
        contentType: tile.contentType,
        size: tile.bytes.byteLength,
        lastUsedAt: this.now(),
        // A tile once saved on purpose stays pinned when browsing fetches it again.
        pinned: pinned || previous?.pinned === 1 ? 1 : 0,
      };
      await tileCache.put(row);
      await this.addUsage(sourceKey, row.size - (previous?.size ?? 0), previous ? 0 : 1);
    });
    if ((await this.totalUsage()).bytes > this.capBytes) await this.evict();
  }

  async usage(sourceKey: string): Promise<TileCacheUsage> {
    const row = await this.db.tileCacheUsage.get(sourceKey);
    return { bytes: row?.bytes ?? 0, tiles: row?.tiles ?? 0 };
  }

  async totalUsage(): Promise<TileCacheUsage> {
    const rows = await this.db.tileCacheUsage.toArray();
    return rows.reduce((sum, row) => ({ bytes: sum.bytes + row.bytes, tiles: sum.tiles + row.tiles }), { bytes: 0, tiles: 0 });
  }

  /**
   * Drops the least recently used browsed tiles until the cache is under 90% of its cap, so a
   * cache at the limit does not evict on every new tile.
   */
  async evict(): Promise<number> {
    const target = this.capBytes * 0.9;
    let total = (await this.totalUsage()).bytes;
    let removed = 0;
    const { tileCache, tileCacheUsage } = this.db;
    while (total > target) {
      const batch = await tileCache
        .where('[pinned+lastUsedAt]')
        .between([0, -Infinity], [0, Infinity])
        .limit(50)
        .toArray();
      if (batch.length === 0) break;
      const chosen: TileCacheRow[] = [];
      for (const row of batch) {
        if (total <= target) break;
        chosen.push(row);
        total -= row.size;
      }
      await this.db.transaction('rw', [tileCache, tileCacheUsage], async () => {
        await tileCache.bulkDelete(chosen.map((row) => row.key));
        for (const row of chosen) await this.addUsage(row.sourceKey, -row.size, -1);
      });
      removed += chosen.length;
    }
    return removed;
  }

  private async addUsage(sourceKey: string, bytes: number, tiles: number): Promise<void> {
    const current = await this.db.tileCacheUsage.get(sourceKey);
    await this.db.tileCacheUsage.put({
      sourceKey,
      bytes: Math.max(0, (current?.bytes ?? 0) + bytes),
      tiles: Math.max(0, (current?.tiles ?? 0) + tiles),
    });
  }
}
