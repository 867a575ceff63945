import { inflateSync } from 'node:zlib';

/** Pixels as 8-bit RGB, row after row, with no padding. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((byte, index) => bytes[index] === byte);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Undoes the per-row filters (PNG spec, section 9); `bpp` is bytes per pixel, at least 1. */
function unfilter(data: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const type = data[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    const up = row - stride;
    // One loop per filter: this runs for every byte of every photo, so no per-byte branching.
    if (type === 0 || (type === 2 && y === 0)) out.set(data.subarray(source, source + stride), row);
    else if (type === 1) {
      out.set(data.subarray(source, source + bpp), row);
      for (let x = bpp; x < stride; x += 1) out[row + x] = ((data[source + x] as number) + (out[row + x - bpp] as number)) & 0xff;
    } else if (type === 2) {
      for (let x = 0; x < stride; x += 1) out[row + x] = ((data[source + x] as number) + (out[up + x] as number)) & 0xff;
    } else if (type === 3) {
      for (let x = 0; x < stride; x += 1) {
        const left = x >= bpp ? (out[row + x - bpp] as number) : 0;
        const above = y > 0 ? (out[up + x] as number) : 0;
        out[row + x] = ((data[source + x] as number) + ((left + above) >> 1)) & 0xff;
      }
    } else if (type === 4) {
      for (let x = 0; x < stride; x += 1) {
        const left = x >= bpp ? (out[row + x - bpp] as number) : 0;
        const above = y > 0 ? (out[up + x] as number) : 0;
        const upLeft = y > 0 && x >= bpp ? (out[up + x - bpp] as number) : 0;
        out[row + x] = ((data[source + x] as number) + paeth(left, above, upLeft)) & 0xff;
      }
    } else throw new Error(`PNG row ${y} has an unknown filter ${String(type)}`);
  }
  return out;
}

/**
 * Decodes the PNGs a camera, a phone or a canvas writes (8 or 16 bits per channel, grey, RGB,
 * palette, with or without alpha, not interlaced) to RGB composited over white, the paper it is
 * printed on. Returns null for the rest (interlaced, fewer than 8 bits): the caller keeps the
 * slower general path for those rare files. Inflating uses Node's zlib, not a JavaScript one.
 */
export function decodePng(bytes: Uint8Array): RgbImage | null {
  if (!isPng(bytes)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let depth = 0;
  let colorType = 0;
  let interlaced = false;
  let palette: Uint8Array | null = null;
  let paletteAlpha: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  for (let offset = 8; offset + 8 <= bytes.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      depth = data[8] ?? 0;
      colorType = data[9] ?? 0;
      interlaced = data[12] === 1;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') paletteAlpha = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = CHANNELS[colorType];
  if (!channels || interlaced || (depth !== 8 && depth !== 16) || width === 0 || height === 0) return null;
  if (colorType === 3 && (!palette || depth !== 8)) return null;
  const bytesPerSample = depth / 8;
  const bpp = channels * bytesPerSample;
  const pixels = unfilter(inflateSync(Buffer.concat(idat)), height, width * bpp, bpp);
  // The common case, 8-bit RGB, is already what the encoder takes.
  if (colorType === 2 && depth === 8) return { width, height, rgb: pixels };
  const rgb = new Uint8Array(width * height * 3);
  const sample = (index: number, channel: number) => pixels[index * bpp + channel * bytesPerSample] ?? 0; // 16-bit: the high byte
  const over = (value: number, alpha: number) => ((value * alpha + 255 * (255 - alpha)) / 255) | 0;
  for (let index = 0; index < width * height; index += 1) {
    let r: number;
    let g: number;
    let b: number;
    let a = 255;
    if (colorType === 3) {
      const entry = pixels[index] ?? 0;
      r = palette?.[entry * 3] ?? 0;
      g = palette?.[entry * 3 + 1] ?? 0;
      b = palette?.[entry * 3 + 2] ?? 0;
      a = paletteAlpha && entry < paletteAlpha.length ? (paletteAlpha[entry] ?? 255) : 255;
    } else if (colorType === 0 || colorType === 4) {
      r = g = b = sample(index, 0);
      if (colorType === 4) a = sample(index, 1);
    } else {
      r = sample(index, 0);
      g = sample(index, 1);
      b = sample(index, 2);
      if (colorType === 6) a = sample(index, 3);
    }
    rgb[index * 3] = a === 255 ? r : over(r, a);
    rgb[index * 3 + 1] = a === 255 ? g : over(g, a);
    rgb[index * 3 + 2] = a === 255 ? b : over(b, a);
  }
  return { width, height, rgb };
}
