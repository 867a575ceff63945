/**
 * The moment a JPEG photo was taken, from its EXIF DateTimeOriginal (tag 0x9003), with its
 * OffsetTimeOriginal (0x9011) when the camera wrote one. The file's modification time is not
 * enough: copying a photo off a phone resets it, and the record must say when the picture was
 * taken, not when it reached the laptop. Reads only the APP1 segment; anything malformed is
 * "no capture time", never an error, because the photo itself is still good evidence.
 */

const TAG_EXIF_IFD = 0x8769;
const TAG_DATE_TIME = 0x0132;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_OFFSET_TIME_ORIGINAL = 0x9011;
const TYPE_ASCII = 2;

/** How many leading bytes of a file hold its EXIF: APP1 is at most 64 KB, right after SOI. */
export const EXIF_SCAN_BYTES = 128 * 1024;

interface Tiff {
  view: DataView;
  start: number;
  little: boolean;
}

function u16(tiff: Tiff, at: number): number {
  return tiff.view.getUint16(tiff.start + at, tiff.little);
}
function u32(tiff: Tiff, at: number): number {
  return tiff.view.getUint32(tiff.start + at, tiff.little);
}

/** Entries of the IFD at `offset` (relative to the TIFF header): tag → the entry's own offset. */
function readIfd(tiff: Tiff, offset: number): Map<number, number> {
  const entries = new Map<number, number>();
  const count = u16(tiff, offset);
  for (let i = 0; i < count; i += 1) {
    const entry = offset + 2 + i * 12;
    entries.set(u16(tiff, entry), entry);
  }
  return entries;
}

function asciiAt(tiff: Tiff, entry: number | undefined): string | null {
  if (entry === undefined || u16(tiff, entry + 2) !== TYPE_ASCII) return null;
  const length = u32(tiff, entry + 4);
  const at = length <= 4 ? entry + 8 : u32(tiff, entry + 8);
  let text = '';
  for (let i = 0; i < length; i += 1) {
    const code = tiff.view.getUint8(tiff.start + at + i);
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text;
}

/** "YYYY:MM:DD HH:MM:SS" (+ "±HH:MM") → ISO-8601; without an offset, the laptop's zone is assumed. */
export function exifDateToIso(text: string, offset: string | null): string | null {
  const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const zone = offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : null;
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = zone ? new Date(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`) : new Date(y, mo - 1, d, h, mi, s);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function fromTiff(tiff: Tiff): string | null {
  const order = u16(tiff, 0);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  tiff.little = order === 0x4949;
  if (u16(tiff, 2) !== 42) return null;
  const ifd0 = readIfd(tiff, u32(tiff, 4));
  const exifPointer = ifd0.get(TAG_EXIF_IFD);
  if (exifPointer !== undefined) {
    const exif = readIfd(tiff, u32(tiff, exifPointer + 8));
    const original = asciiAt(tiff, exif.get(TAG_DATE_TIME_ORIGINAL));
    if (original) return exifDateToIso(original, asciiAt(tiff, exif.get(TAG_OFFSET_TIME_ORIGINAL)));
  }
  const modified = asciiAt(tiff, ifd0.get(TAG_DATE_TIME));
  return modified ? exifDateToIso(modified, null) : null;
}

/** The capture time in a JPEG's leading bytes, or null when it has none (or is not a JPEG). */
export function exifCaptureTime(bytes: Uint8Array): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (view.getUint16(0) !== 0xffd8) return null;
    let at = 2;
    while (at + 4 <= view.byteLength) {
      const marker = view.getUint16(at);
      if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
      const length = view.getUint16(at + 2);
      const isExif = marker === 0xffe1 && view.getUint32(at + 4) === 0x45786966 && view.getUint16(at + 8) === 0;
      if (isExif) return fromTiff({ view, start: at + 10, little: false });
      at += 2 + length;
    }
    return null;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
