import { describe, expect, it } from 'vitest';
import { exifCaptureTime, exifDateToIso } from '../../renderer/features/capture/exif-capture-time';

interface Tag {
  tag: number;
  text: string;
}

/** A minimal JPEG: SOI, an APP0 the parser must skip, APP1 with an EXIF TIFF block, then SOS. */
function jpegWithExif(options: { little: boolean; ifd0: Tag[]; exif: Tag[] }): Uint8Array {
  const tiff: number[] = [];
  const put16 = (at: number, value: number) => {
    const bytes = options.little ? [value & 0xff, value >> 8] : [value >> 8, value & 0xff];
    tiff.splice(at, 2, ...bytes);
  };
  const put32 = (at: number, value: number) => {
    const big = [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
    tiff.splice(at, 4, ...(options.little ? big.reverse() : big));
  };
  const grow = (n: number) => {
    const at = tiff.length;
    for (let i = 0; i < n; i += 1) tiff.push(0);
    return at;
  };
  grow(8);
  tiff.splice(0, 2, ...(options.little ? [0x49, 0x49] : [0x4d, 0x4d]));
  put16(2, 42);
  put32(4, 8);
  const writeIfd = (tags: { tag: number; type: number; count: number; value: number | null; text?: string }[]) => {
    const start = grow(2 + tags.length * 12 + 4);
    put16(start, tags.length);
    const entries: number[] = [];
    tags.forEach((tag, i) => {
      const entry = start + 2 + i * 12;
      entries.push(entry);
      put16(entry, tag.tag);
      put16(entry + 2, tag.type);
      put32(entry + 4, tag.count);
      if (tag.value !== null) put32(entry + 8, tag.value);
    });
    tags.forEach((tag, i) => {
      if (tag.text === undefined) return;
      const at = grow(tag.count);
      [...tag.text].forEach((char, j) => (tiff[at + j] = char.charCodeAt(0)));
      put32((entries[i] ?? 0) + 8, at);
    });
    return entries;
  };
  const ascii = (tag: Tag) => ({ tag: tag.tag, type: 2, count: tag.text.length + 1, value: null, text: tag.text });
  const ifd0 = writeIfd([...options.ifd0.map(ascii), ...(options.exif.length > 0 ? [{ tag: 0x8769, type: 4, count: 1, value: 0 }] : [])]);
  if (options.exif.length > 0) {
    const exifStart = tiff.length;
    writeIfd(options.exif.map(ascii));
    put32((ifd0.at(-1) ?? 0) + 8, exifStart);
  }
  const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const app0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  return new Uint8Array([0xff, 0xd8, ...app0, 0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 0xff, ...app1, 0xff, 0xda, 0, 2, 0xff, 0xd9]);
}

describe('a photo keeps the time it was taken', () => {
  it('reads DateTimeOriginal with its offset, in either byte order', () => {
    for (const little of [true, false]) {
      const bytes = jpegWithExif({ little, ifd0: [{ tag: 0x0132, text: '2026:05:02 09:00:00' }], exif: [{ tag: 0x9003, text: '2026:04:30 14:05:09' }, { tag: 0x9011, text: '-05:00' }] });
      expect(exifCaptureTime(bytes)).toBe('2026-04-30T19:05:09.000Z');
    }
  });

  it('takes the local clock when the camera wrote no offset, and the file date when there is no original', () => {
    const local = jpegWithExif({ little: true, ifd0: [], exif: [{ tag: 0x9003, text: '2026:04:30 14:05:09' }] });
    expect(exifCaptureTime(local)).toBe(new Date(2026, 3, 30, 14, 5, 9).toISOString());
    const modifiedOnly = jpegWithExif({ little: false, ifd0: [{ tag: 0x0132, text: '2025:12:31 23:59:58' }], exif: [] });
    expect(exifCaptureTime(modifiedOnly)).toBe(new Date(2025, 11, 31, 23, 59, 58).toISOString());
  });

  it('answers null, never throws, for no EXIF, a PNG, a cut-off file or a nonsense date', () => {
    expect(exifCaptureTime(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull();
    expect(exifCaptureTime(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    const whole = jpegWithExif({ little: true, ifd0: [], exif: [{ tag: 0x9003, text: '2026:04:30 14:05:09' }] });
    for (let cut = 0; cut < whole.length; cut += 7) expect(() => exifCaptureTime(whole.slice(0, cut))).not.toThrow();
    expect(exifCaptureTime(jpegWithExif({ little: true, ifd0: [], exif: [{ tag: 0x9003, text: '0000:00:00 00:00:00' }] }))).toBeNull();
    expect(exifDateToIso('2026:13:01 00:00:00', null)).toBeNull();
  });
});
