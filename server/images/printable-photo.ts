import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { downscale, fittedSize, onWhite, type RgbaImage } from './downscale';

/** JPEG quality for printed photos: no visible loss on paper at a tenth of the PNG's size. */
const PRINT_QUALITY = 82;

/**
 * A JPEG this much larger than the print box is decoded and shrunk; one within it is printed as it
 * is: the app's camera writes 2048 px photos, a re-encode of which would cost time and quality for
 * a few percent of the page's pixels.
 */
const JPEG_SLACK = 1.5;

/** Decoding limits: a photo's pixels, never a decompression bomb's. */
const MAX_MEGAPIXELS = 64;
const MAX_DECODE_MB = 512;

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

/** Width and height from a JPEG's start-of-frame segment, without decoding it; null when there is none. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] ?? 0;
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame's size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: ((bytes[at + 5] ?? 0) << 8) | (bytes[at + 6] ?? 0), width: ((bytes[at + 7] ?? 0) << 8) | (bytes[at + 8] ?? 0) };
    }
    at += 2 + length;
  }
  return null;
}

function printed(image: RgbaImage, max: { width: number; height: number }): Uint8Array {
  const size = fittedSize(image.width, image.height, max.width, max.height);
  return jpeg.encode(downscale(image, size.width, size.height), PRINT_QUALITY).data;
}

/**
 * A photo as a report prints it: a JPEG of about the print box's pixels. A PNG is decoded (pngjs:
 * every colour type and bit depth), laid on white, shrunk and encoded (jpeg-js); a JPEG far larger
 * than the box is decoded and shrunk the same way, a smaller one is printed as it is. Null when the
 * photo is neither or does not decode: the caller lists it by hash instead of drawing it.
 */
export function printablePhoto(bytes: Uint8Array, max: { width: number; height: number }): Uint8Array | null {
  try {
    if (isJpeg(bytes)) {
      const size = jpegSize(bytes);
      if (size && size.width <= max.width * JPEG_SLACK && size.height <= max.height * JPEG_SLACK) return bytes;
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: MAX_DECODE_MB });
      return printed(decoded, max);
    }
    if (isPng(bytes)) {
      const decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return printed(onWhite({ width: decoded.width, height: decoded.height, data: decoded.data }), max);
    }
  } catch {
    return null;
  }
  return null;
}
