import { downscale, fittedSize } from './downscale';
import { encodeJpeg } from './jpeg-encode';
import { decodePng } from './png-decode';

/** JPEG quality for printed photos: no visible loss on paper at a tenth of the PNG's size. */
const PRINT_QUALITY = 82;

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * A photo as a report prints it: a JPEG no larger than `max` pixels. A PNG is decoded, shrunk
 * to fit (never enlarged) and encoded; a JPEG is returned as it is (the app's camera already
 * writes them at most 2048 px, and re-encoding would only lose quality; there is no JPEG
 * decoder here to shrink a larger one). Null when the photo is neither, or a PNG of a kind the
 * fast decoder does not read: the caller falls back to its general path.
 */
export function printablePhoto(bytes: Uint8Array, max: { width: number; height: number }): Uint8Array | null {
  if (isJpeg(bytes)) return bytes;
  const decoded = decodePng(bytes);
  if (!decoded) return null;
  const size = fittedSize(decoded.width, decoded.height, max.width, max.height);
  return encodeJpeg(downscale(decoded, size.width, size.height), PRINT_QUALITY);
}
