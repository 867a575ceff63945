import { afterEach, describe, expect, it } from 'vitest';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { TileCache } from '../../renderer/db/tile-cache';
import { freshDatabase } from './renderer-test-fixtures';

let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

const tile = (size: number) => ({ bytes: new Uint8Array(size).fill(7).buffer, contentType: 'image/png' });
const source = 'https://tiles.example.org/{z}/{x}/{y}.png';

describe('the offline tile cache', () => {
  it('serves a stored tile back byte for byte and keeps running totals', async () => {
    db = freshDatabase();
    const cache = new TileCache(db, 10_000);
    await cache.put(source, 12, 1050, 1522, tile(300));
    const back = await cache.get(source, 12, 1050, 1522);
    expect(back?.contentType).toBe('image/png');
    expect(new Uint8Array(back?.bytes ?? new ArrayBuffer(0))).toEqual(new Uint8Array(300).fill(7));
    expect(await cache.get(source, 12, 1050, 1523)).toBeNull();
    // Replacing a tile changes the totals by the difference, not twice.
    await cache.put(source, 12, 1050, 1522, tile(500));
    expect(await cache.usage(source)).toEqual({ bytes: 500, tiles: 1 });
  });

  it('evicts the least recently used browsed tiles past the cap, never pinned ones', async () => {
    db = freshDatabase();
    let now = 1_000_000;
    const cache = new TileCache(db, 1000, () => now);
    await cache.put(source, 10, 0, 0, tile(300), true);
    for (let x = 1; x <= 3; x++) {
      now += 10;
      await cache.put(source, 10, x, 0, tile(200));
    }
    expect((await cache.totalUsage()).bytes).toBe(900);
    now += 10;
    await cache.put(source, 10, 4, 0, tile(200));
    // 1100 > 1000: evicted down to ≤ 900 by dropping the oldest browsed tile (x=1).
    expect(await cache.get(source, 10, 1, 0)).toBeNull();
    expect(await cache.get(source, 10, 0, 0)).not.toBeNull();
    expect(await cache.get(source, 10, 4, 0)).not.toBeNull();
    expect((await cache.totalUsage()).bytes).toBeLessThanOrEqual(900);
  });

  it('a tile read recently survives eviction ahead of one left unread', async () => {
    db = freshDatabase();
    let now = 0;
    const cache = new TileCache(db, 500, () => now);
    await cache.put(source, 9, 1, 0, tile(200));
    now += 1;
    await cache.put(source, 9, 2, 0, tile(200));
    now += 2 * 60 * 60 * 1000;
    await cache.get(source, 9, 1, 0);
    await cache.put(source, 9, 3, 0, tile(200));
    expect(await cache.get(source, 9, 2, 0)).toBeNull();
    expect(await cache.get(source, 9, 1, 0)).not.toBeNull();
  });
});
