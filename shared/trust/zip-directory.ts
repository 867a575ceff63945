/**
 * Reads a zip's central directory and local headers (APPNOTE.TXT 4.3) for a reader that has
 * random access but no zip library of its own that exposes them: the app, which inflates with
 * fflate. The command line gets the same records from yauzl. Both then hand them to
 * ZipEntryLedger, so the same names, attributes and sizes are judged by the same code.
 *
 * Like yauzl, it trusts the central directory, not a scan of local headers: a stream scanner
 * (fflate's Unzip) that looks for signatures inside stored data can be made to see files the
 * directory does not list, which is the classic way to show two readers two different archives.
 */
import { zipRefusals, type ZipEntryHeader, type ZipLocalHeader, type ZipRefusal } from './zip-limits';

export interface RandomAccessBytes {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const CENTRAL_BYTES = 46;
export const LOCAL_HEADER_BYTES = 30;
const MAX_COMMENT = 0xffff;

const u16 = (bytes: Uint8Array, at: number): number => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
const u32 = (bytes: Uint8Array, at: number): number => (((bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16)) >>> 0) + (bytes[at + 3] ?? 0) * 0x1000000;

function extraFieldIds(extra: Uint8Array): number[] | null {
  const ids: number[] = [];
  let i = 0;
  while (i < extra.length - 3) {
    const size = u16(extra, i + 2);
    if (i + 4 + size > extra.length) return null;
    ids.push(u16(extra, i));
    i += 4 + size;
  }
  return ids;
}

export interface ZipDirectory {
  readonly entryCount: number;
  readonly headers: readonly ZipEntryHeader[];
}

/** The end record and every central directory record, or why the file is not a readable zip. */
export async function readZipDirectory(file: RandomAccessBytes, maxDirectoryBytes: number): Promise<ZipDirectory | ZipRefusal> {
  const { unreadable } = zipRefusals;
  if (file.size < EOCD_BYTES) return unreadable('not_a_zip', null, 'the file is too short to be a zip');
  const tailLength = Math.min(file.size, EOCD_BYTES + MAX_COMMENT + 20);
  const tailStart = file.size - tailLength;
  const tail = await file.read(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_BYTES; i >= 0; i -= 1) {
    if (u32(tail, i) !== EOCD_SIGNATURE) continue;
    // The comment must run exactly to the end of the file, as yauzl requires.
    if (u16(tail, i + 20) !== tail.length - i - EOCD_BYTES) {
      return unreadable('not_a_zip', null, 'the zip end record is followed by bytes it does not account for: the file was appended to or cut short');
    }
    eocd = i;
    break;
  }
  if (eocd < 0) return unreadable('not_a_zip', null, 'the file has no zip end record: it is not a zip, or it is cut short');
  if (eocd >= 20 && u32(tail, eocd - 20) === ZIP64_LOCATOR_SIGNATURE) return unreadable('damaged', null, 'the zip uses zip64, which no bundle needs (bundles stay far below 4 GiB)');
  if (u16(tail, eocd + 4) !== 0 || u16(tail, eocd + 6) !== 0) return unreadable('damaged', null, 'the zip spans several disks');
  const entryCount = u16(tail, eocd + 10);
  const directorySize = u32(tail, eocd + 12);
  const directoryOffset = u32(tail, eocd + 16);
  if (directorySize > maxDirectoryBytes) return unreadable('too_many_entries', null, `the zip's central directory is ${directorySize} bytes; a bundle's is far smaller`);
  if (directoryOffset + directorySize > tailStart + eocd) return unreadable('damaged', null, 'the zip central directory runs past its end record');
  const directory = await file.read(directoryOffset, directorySize);
  const headers: ZipEntryHeader[] = [];
  let at = 0;
  for (let index = 0; index < entryCount; index += 1) {
    if (at + CENTRAL_BYTES > directory.length || u32(directory, at) !== CENTRAL_SIGNATURE) return unreadable('damaged', null, `central directory record ${index + 1} of ${entryCount} is missing or damaged`);
    const nameLength = u16(directory, at + 28);
    const extraLength = u16(directory, at + 30);
    const commentLength = u16(directory, at + 32);
    const end = at + CENTRAL_BYTES + nameLength + extraLength + commentLength;
    if (end > directory.length) return unreadable('damaged', null, `central directory record ${index + 1} runs past the directory`);
    const nameBytes = directory.slice(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength);
    const ids = extraFieldIds(directory.subarray(at + CENTRAL_BYTES + nameLength, at + CENTRAL_BYTES + nameLength + extraLength));
    if (ids === null) return unreadable('damaged', null, `central directory record ${index + 1} has a damaged extra field`);
    headers.push({
      nameBytes,
      versionMadeBy: u16(directory, at + 4),
      flags: u16(directory, at + 8),
      compressionMethod: u16(directory, at + 10),
      compressedSize: u32(directory, at + 20),
      uncompressedSize: u32(directory, at + 24),
      externalAttributes: u32(directory, at + 38),
      extraFieldIds: ids,
      localHeaderOffset: u32(directory, at + 42),
    });
    at = end;
  }
  return { entryCount, headers };
}

/** Reads the local header of an entry: its own copy of the name and method, and where its data begins. */
export async function readLocalHeader(file: RandomAccessBytes, header: ZipEntryHeader): Promise<ZipLocalHeader | ZipRefusal> {
  const offset = header.localHeaderOffset;
  if (offset + LOCAL_HEADER_BYTES > file.size) return zipRefusals.unreadable('damaged', null, 'an entry starts past the end of the file');
  const fixed = await file.read(offset, LOCAL_HEADER_BYTES);
  if (u32(fixed, 0) !== LOCAL_SIGNATURE) return zipRefusals.unreadable('damaged', null, `no local header where the central directory puts an entry (byte ${offset})`);
  const nameLength = u16(fixed, 26);
  const extraLength = u16(fixed, 28);
  const nameBytes = nameLength === 0 ? new Uint8Array(0) : await file.read(offset + LOCAL_HEADER_BYTES, nameLength);
  return { nameBytes, flags: u16(fixed, 6), compressionMethod: u16(fixed, 8), dataStart: offset + LOCAL_HEADER_BYTES + nameLength + extraLength };
}
