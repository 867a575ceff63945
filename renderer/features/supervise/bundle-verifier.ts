import { Inflate } from 'fflate';
import type { BundlePin, BundleVerdict } from '../../../shared/trust/bundle-verdict';
import { verifyCustodyBundle } from '../../../shared/trust/verify-bundle';
import { readLocalHeader, readZipDirectory, type RandomAccessBytes } from '../../../shared/trust/zip-directory';
import {
  bundleZipLimits,
  isZipRefusal,
  MAX_CENTRAL_DIRECTORY_BYTES,
  zipRefusals,
  ZipEntryLedger,
  ZipEntrySink,
  type AdmittedEntry,
  type BundleArchive,
  type BundleEntry,
  type BundleZipLimits,
  type ZipRefusal,
} from '../../../shared/trust/zip-limits';

/**
 * The app's door to the bundle verifier: the same limits and the same verifier as
 * `npm run verify` (shared/trust/zip-limits.ts, shared/trust/verify-bundle.ts), with the
 * browser's File and fflate instead of the file system and yauzl. Nothing is sent anywhere.
 *
 * The zip is read from its central directory (shared/trust/zip-directory.ts), like yauzl does,
 * not by fflate's streaming Unzip: that scans local headers and, for entries written with a data
 * descriptor (as the server's streaming zip writes them), searches stored data for the next
 * signature, so a photo that happens to hold "PK\x07\x08" would be cut, and a zip whose local
 * headers disagree with its directory would show this door other files than the command line.
 * Each entry's bytes are sliced from the File and inflated in small pieces through fflate's
 * streaming Inflate, so a bomb stops at its declared size with a few MB in memory.
 */

/** Compressed bytes handed to the inflater at once: deflate's 1032:1 ceiling keeps each push under ~8 MB. */
const INFLATE_PIECE = 8 * 1024;
/** Stored bytes read from the File at once. */
const READ_PIECE = 1024 * 1024;

function fileBytes(file: Blob): RandomAccessBytes {
  return {
    size: file.size,
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

async function inflateInto(file: Blob, start: number, length: number, entry: AdmittedEntry, sink: ZipEntrySink): Promise<ZipRefusal | null> {
  let refused: ZipRefusal | null = null;
  if (entry.header.compressionMethod === 0) {
    for (let at = 0; at < length && !refused; at += READ_PIECE) {
      refused = sink.push(new Uint8Array(await file.slice(start + at, start + Math.min(length, at + READ_PIECE)).arrayBuffer()));
    }
    return refused;
  }
  const inflate = new Inflate((chunk) => {
    if (!refused) refused = sink.push(chunk);
  });
  try {
    for (let at = 0; at < length && !refused; at += READ_PIECE) {
      const piece = new Uint8Array(await file.slice(start + at, start + Math.min(length, at + READ_PIECE)).arrayBuffer());
      for (let i = 0; i < piece.length && !refused; i += INFLATE_PIECE) inflate.push(piece.subarray(i, i + INFLATE_PIECE), at + i + INFLATE_PIECE >= length);
    }
    if (length === 0 && !refused) inflate.push(new Uint8Array(0), true);
  } catch (error) {
    return refused ?? zipRefusals.unreadable('damaged', entry.path, `the zip is damaged at ${JSON.stringify(entry.path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return refused;
}

/** Opens a bundle within the shared limits: the files, or the reason reading stopped. */
export async function readBundleFile(file: Blob, limits: BundleZipLimits = bundleZipLimits): Promise<BundleArchive> {
  const entries = new Map<string, BundleEntry>();
  const stop = (refusal: ZipRefusal): BundleArchive => ({ entries, refusal });
  const ledger = new ZipEntryLedger(limits);
  if (file.size > limits.maxFileBytes) return stop(ledger.openArchive(file.size, 0) ?? zipRefusals.unreadable('file_too_large', null, 'the file is too large'));
  const bytes = fileBytes(file);
  const directory = await readZipDirectory(bytes, MAX_CENTRAL_DIRECTORY_BYTES);
  if (isZipRefusal(directory)) return stop(directory);
  const opening = ledger.openArchive(file.size, directory.entryCount);
  if (opening) return stop(opening);
  // Every record is judged before any data is read, as on the command line.
  const admitted: AdmittedEntry[] = [];
  for (const header of directory.headers) {
    const judged = ledger.admit(header);
    if (isZipRefusal(judged)) return stop(judged);
    admitted.push(judged);
  }
  for (const judged of admitted) {
    const local = await readLocalHeader(bytes, judged.header);
    if (isZipRefusal(local)) return stop({ ...local, entry: judged.path });
    const placed = ledger.place(judged, local, file.size);
    if (placed) return stop(placed);
    if (judged.directory) continue;
    const sink = new ZipEntrySink(judged);
    const refused = await inflateInto(file, local.dataStart, judged.header.compressedSize, judged, sink);
    if (refused) return stop(refused);
    const read = sink.finish();
    if (isZipRefusal(read)) return stop(read);
    entries.set(read.path, read);
  }
  return { entries, refusal: null };
}

/**
 * Verifies a bundle in the browser against a pinned organisation (the signed-in server's key,
 * or a fingerprint the user typed); with no pin the answer is at best 'unpinned'.
 */
export async function verifyBundleFile(file: Blob, pin: BundlePin): Promise<BundleVerdict> {
  return verifyCustodyBundle(crypto.subtle, await readBundleFile(file), pin);
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/**
 * Verifies what a supervisor or an auditor drops on the page: a bundle, or a signed report
 * (PDF) that carries its bundle. The report's libraries (pkijs, pdf-lib) load only for a PDF.
 */
export async function verifyCustodyFile(file: Blob, pin: BundlePin): Promise<BundleVerdict> {
  const head = new Uint8Array(await file.slice(0, PDF_MAGIC.length).arrayBuffer());
  if (!PDF_MAGIC.every((byte, index) => head[index] === byte)) return verifyBundleFile(file, pin);
  const { verifyCustodyReport } = await import('../../../shared/trust/verify-report');
  return verifyCustodyReport(crypto.subtle, new Uint8Array(await file.arrayBuffer()), pin, (bytes) => readBundleFile(new Blob([new Uint8Array(bytes)])));
}
