import { describe, expect, it } from 'vitest';
import { PMTiles, TileType, type Source } from 'pmtiles';
import { writeRasterRegionPack } from '../fixtures/raster-region-pack';

const chicago = { south: 41.64, west: -87.94, north: 42.02, east: -87.52 };

function bufferSource(bytes: Buffer): Source {
  return {
    getKey: () => 'test.pmtiles',
    getBytes: async (offset: number, length: number) => ({
      data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) as ArrayBuffer,
    }),
  };
}

describe('the region pack test fixture', () => {
  it('reads back with the pmtiles library: header, a covered tile, and no tile outside', async () => {
    const archive = new PMTiles(bufferSource(writeRasterRegionPack(chicago, 10, 12)));
    const header = await archive.getHeader();
    expect(header.tileType).toBe(TileType.Png);
    expect([header.minZoom, header.maxZoom]).toEqual([10, 12]);
    // State & Madison (41.8819, -87.6278) lies in tile 12/1050/1522.
    const inside = await archive.getZxy(12, 1050, 1522);
    expect(inside?.data.byteLength).toBeGreaterThan(0);
    expect(await archive.getZxy(12, 0, 0)).toBeUndefined();
  });
});
