import sharp from 'sharp';

/** JPEG quality for printed photos: no visible loss on paper at a tenth of the PNG's size. */
const PRINT_QUALITY = 82;

/**
 * A JPEG this much larger than the print box is decoded and shrunk; one within it is printed as it
 * is: the app's camera writes 2048 px photos, a re-encode of which would cost time and quality for
 * a few percent of the page's pixels.
 */
const JPEG_SLACK = 1.5;

// libvips keeps recent operations' results for reuse; a report touches each photo once, so that
// cache would only hold memory between exports.
sharp.cache(false);

/** Decoding limit: a photo's pixels, never a decompression bomb's. */
const MAX_PIXELS = 64 * 1024 * 1024;

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

/**
 * A photo as a report prints it: a JPEG of at most the print box's pixels. A PNG is laid on white
 * paper (a JPEG has no alpha, and dropping it would leave black), shrunk to fit the box keeping its
 * shape, and encoded; a JPEG far larger than the box is shrunk the same way, a smaller one is
 * printed as it is. sharp (libvips) does the decoding, resampling and encoding in native code:
 * the pure-JavaScript encoder it replaced spent most of a 50-photo report's time here.
 * Null when the photo is neither or does not decode: the caller lists it by hash instead of drawing it.
 */
export async function printablePhoto(bytes: Uint8Array, max: { width: number; height: number }): Promise<Uint8Array | null> {
  if (isJpeg(bytes)) {
    const size = jpegSize(bytes);
    if (size && size.width > 0 && size.width <= max.width * JPEG_SLACK && size.height <= max.height * JPEG_SLACK) return bytes;
  } else if (!isPng(bytes)) {
    return null;
  }
  try {
    const printed = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .flatten({ background: '#ffffff' })
      .resize({ width: max.width, height: max.height, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: PRINT_QUALITY })
      .toBuffer();
    return new Uint8Array(printed.buffer, printed.byteOffset, printed.byteLength);
  } catch {
    return null;
  }
}
