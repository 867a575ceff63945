import { describe, expect, it } from 'vitest';
import { countTiles, estimateBytes, latToTileY, listTiles, lonToTileX, tileRange, typicalTileBytes } from '../../renderer/features/route/map/tile-math';

describe('tile counts for "Save this area"', () => {
  it('finds the standard tile for a place (Chicago Loop at zoom 12)', () => {
    expect(lonToTileX(-87.6278, 12)).toBe(1050);
    expect(latToTileY(41.8819, 12)).toBe(1522);
    expect(lonToTileX(-180, 0)).toBe(0);
    expect(latToTileY(89, 3)).toBe(0);
  });

  it('counts every tile of every zoom in the range, and lists the same tiles', () => {
    const world = { south: -85, west: -180, north: 85, east: 180 };
    expect(countTiles(world, 0, 2)).toBe(1 + 4 + 16);
    const loop = { south: 41.86, west: -87.66, north: 41.9, east: -87.6 };
    const total = countTiles(loop, 12, 15);
    expect([...listTiles(loop, 12, 15)]).toHaveLength(total);
    const z15 = tileRange(loop, 15);
    expect(z15.minY).toBeLessThanOrEqual(z15.maxY);
    // Each zoom level roughly quadruples the count.
    expect(countTiles(loop, 16, 16)).toBeGreaterThan(3 * countTiles(loop, 15, 15));
  });

  it('estimates size from measured tiles, or a typical size when none are measured', () => {
    expect(estimateBytes(100, null)).toBe(100 * typicalTileBytes);
    expect(estimateBytes(100, 12_000)).toBe(1_200_000);
  });
});
