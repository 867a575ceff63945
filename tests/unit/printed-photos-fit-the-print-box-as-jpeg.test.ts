import jpeg from 'jpeg-js';
import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { jpegSize, printablePhoto } from '../../server/images/printable-photo';

const box = { width: 400, height: 300 };

function rgba(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return data;
}

function pngOf(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba(width, height, pixel));
  return PNG.sync.write(png);
}

/** A valid 1×1 PNG whose IHDR chunk (with a correct CRC) claims width × height instead. */
function pngHeaderClaiming(width: number, height: number): Uint8Array {
  const whole = pngOf(1, 1, () => [0, 0, 0, 255]);
  const view = new DataView(whole.buffer, whole.byteOffset, whole.byteLength);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(whole.subarray(12, 29)));
  return whole;
}

const jpegOf = (width: number, height: number) => jpeg.encode({ width, height, data: rgba(width, height, (x, y) => [x % 256, y % 256, 128, 255]) }, 90).data;

describe('a photo printed in the custody PDF', { timeout: 30_000 }, () => {
  it('is a PNG turned into a JPEG that fits the print box, keeping its shape', async () => {
    const printed = await printablePhoto(pngOf(1600, 900, (x) => [x % 256, 40, 200, 255]), box);
    expect(printed).not.toBeNull();
    expect(jpegSize(printed ?? new Uint8Array())).toEqual({ width: 400, height: 225 });
  });

  it('lays a transparent PNG on white paper, not black', async () => {
    const printed = await printablePhoto(pngOf(64, 64, () => [0, 0, 0, 0]), box);
    const decoded = jpeg.decode(printed ?? new Uint8Array(), { useTArray: true });
    expect(decoded.data[0]).toBeGreaterThan(245);
    expect(decoded.data[1]).toBeGreaterThan(245);
  });

  it('is a JPEG far larger than the box decoded and shrunk, and one near its size printed as it is', async () => {
    const large = jpegOf(960, 720);
    expect(jpegSize((await printablePhoto(large, box)) ?? new Uint8Array())).toEqual({ width: 400, height: 300 });
    const near = jpegOf(500, 375);
    expect(await printablePhoto(near, box)).toBe(near);
  });

  it('is refused (null) when the bytes are no picture it can read, so the report lists it by hash', async () => {
    expect(await printablePhoto(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), box)).toBeNull();
    expect(await printablePhoto(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]), box)).toBeNull();
    expect(await printablePhoto(new TextEncoder().encode('GIF89a'), box)).toBeNull();
    // A PNG whose header claims ten gigapixels (a decompression bomb's trick) is refused by the pixel limit.
    expect(await printablePhoto(pngHeaderClaiming(100_000, 100_000), box)).toBeNull();
  });

  it('keeps the picture: a red square printed is still red, and a photo exactly the box size is not enlarged', async () => {
    const printed = await printablePhoto(pngOf(300, 200, () => [220, 20, 20, 255]), box);
    const decoded = jpeg.decode(printed ?? new Uint8Array(), { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([300, 200]);
    expect(decoded.data[0]).toBeGreaterThan(200);
    expect(decoded.data[1]).toBeLessThan(50);
  });
});
