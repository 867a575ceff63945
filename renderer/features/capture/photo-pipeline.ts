import { toHex } from '../../../shared/custody/crypto-port';
import { EXIF_SCAN_BYTES, exifCaptureTime } from './exif-capture-time';

/** An image ready to store: its bytes, their SHA-256, its size and a thumbnail for lists. */
export interface PreparedImage {
  blob: Blob;
  sha256: string;
  width: number;
  height: number;
  thumbnail: Blob | null;
  /** The original capture time when the file carried one. */
  capturedAt: string | null;
}

export const maxPhotoSide = 2048;
export const thumbnailSide = 256;
export const photoQuality = 0.85;

/** The size that fits within `max` on the longer side, keeping the aspect ratio; never enlarges. */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height };
  const scale = max / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export async function sha256OfBlob(blob: Blob, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  return toHex(new Uint8Array(await subtle.digest('SHA-256', await blob.arrayBuffer())));
}

async function drawScaled(bitmap: ImageBitmap, max: number, type: string, quality: number): Promise<{ blob: Blob; width: number; height: number }> {
  const size = fitWithin(bitmap.width, bitmap.height, max);
  const canvas = new OffscreenCanvas(size.width, size.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw images off screen.');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  return { blob: await canvas.convertToBlob({ type, quality }), ...size };
}

/**
 * Resizes and re-compresses a photo in the browser (createImageBitmap honours EXIF orientation
 * with imageOrientation 'from-image'). A 12-megapixel phone photo of 5 MB becomes ~0.5 MB, which
 * is what makes a day of photos fit the laptop and the upload fit a weak signal.
 */
export async function preparePhoto(file: File): Promise<PreparedImage> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const full = await drawScaled(bitmap, maxPhotoSide, 'image/jpeg', photoQuality);
    const thumb = await drawScaled(bitmap, thumbnailSide, 'image/jpeg', 0.7);
    // EXIF says when the picture was taken; lastModified only when the file was last copied.
    const exif = file.type === 'image/jpeg' ? exifCaptureTime(new Uint8Array(await file.slice(0, EXIF_SCAN_BYTES).arrayBuffer())) : null;
    const capturedAt = exif ?? (file.lastModified > 0 ? new Date(file.lastModified).toISOString() : null);
    return { blob: full.blob, sha256: await sha256OfBlob(full.blob), width: full.width, height: full.height, thumbnail: thumb.blob, capturedAt };
  } finally {
    bitmap.close();
  }
}

/** A signature is kept exactly as drawn (PNG, lossless): its hash is what the custody event names. */
export async function prepareSignature(png: Blob, width: number, height: number): Promise<PreparedImage> {
  return { blob: png, sha256: await sha256OfBlob(png), width, height, thumbnail: null, capturedAt: null };
}
