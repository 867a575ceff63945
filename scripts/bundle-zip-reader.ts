/**
 * Reads a custody bundle's zip for the command line with yauzl, in bounded memory: entries one
 * at a time from the central directory (lazyEntries), each inflated as a stream through a
 * counting sink that stops at the size the header declared, photos hashed and dropped, only the
 * small documents kept. Every decision (names, links, sizes, ratios) is the shared ledger's
 * (shared/trust/zip-limits.ts), the same the app's reader uses.
 *
 * Names are read as raw bytes (decodeStrings: false): yauzl's own decoding would apply CP437,
 * the Info-ZIP Unicode path field and backslash rewriting before the ledger saw the name, and
 * the app's reader could not reproduce exactly that.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import {
  bundleZipLimits,
  expandsPastHeader,
  isZipRefusal,
  zipRefusals,
  ZipEntryLedger,
  ZipEntrySink,
  type AdmittedEntry,
  type BundleArchive,
  type BundleEntry,
  type BundleZipLimits,
  type StreamingHash,
  type ZipRefusal,
} from '../shared/trust/zip-limits';

const nativeSha256 = (): StreamingHash => {
  const hash = createHash('sha256');
  return { update: (bytes) => void hash.update(bytes), digest: () => new Uint8Array(hash.digest()) };
};

const options: yauzl.Options = { lazyEntries: true, validateEntrySizes: true, decodeStrings: false, autoClose: false };

function openFile(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, options, (error, zipfile) => (error ? reject(error) : resolve(zipfile))));
}

function openBuffer(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), options, (error, zipfile) => (error ? reject(error) : resolve(zipfile))));
}

/** The next central directory record, or null at the end. */
function nextEntry(zipfile: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zipfile.removeListener('entry', onEntry);
      zipfile.removeListener('end', onEnd);
      zipfile.removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zipfile.on('entry', onEntry);
    zipfile.on('end', onEnd);
    zipfile.on('error', onError);
    zipfile.readEntry();
  });
}

const damaged = (error: unknown, entry: string | null = null): ZipRefusal =>
  zipRefusals.unreadable('damaged', entry, `the zip is damaged${entry ? ` at ${JSON.stringify(entry)}` : ''}: ${error instanceof Error ? error.message : String(error)}`);

async function streamInto(stream: Readable, sink: ZipEntrySink, entry: AdmittedEntry): Promise<ZipRefusal | null> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const refused = sink.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (refused) {
        stream.destroy();
        return refused;
      }
    }
    return null;
  } catch (error) {
    stream.destroy();
    // With validateEntrySizes, yauzl's own byte counter stops an entry that inflates past its
    // declared size before the chunk reaches the sink: the same refusal, found one step earlier.
    if (error instanceof Error && error.message.startsWith('too many bytes in the stream')) return expandsPastHeader(entry);
    return damaged(error, entry.path);
  }
}

/**
 * Two passes: the whole central directory first, so every name, link, size and ratio is judged
 * before a byte is inflated (a bomb spread over a thousand small entries is refused on its
 * declared total, not after inflating half of it); then each entry's data, one at a time.
 */
async function readArchive(zipfile: yauzl.ZipFile, fileBytes: number, limits: BundleZipLimits): Promise<BundleArchive> {
  const entries = new Map<string, BundleEntry>();
  const stop = (refusal: ZipRefusal): BundleArchive => ({ entries, refusal });
  const ledger = new ZipEntryLedger(limits);
  const opening = ledger.openArchive(fileBytes, zipfile.entryCount);
  if (opening) return stop(opening);
  const admitted: { entry: yauzl.Entry; admitted: AdmittedEntry }[] = [];
  for (;;) {
    let entry: yauzl.Entry | null;
    try {
      entry = await nextEntry(zipfile);
    } catch (error) {
      return stop(damaged(error));
    }
    if (!entry) break;
    const judged = ledger.admit({
      nameBytes: new Uint8Array(entry.fileNameRaw),
      flags: entry.generalPurposeBitFlag,
      compressionMethod: entry.compressionMethod,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      versionMadeBy: entry.versionMadeBy,
      externalAttributes: entry.externalFileAttributes,
      extraFieldIds: entry.extraFields.map((field) => field.id),
      localHeaderOffset: entry.relativeOffsetOfLocalHeader,
    });
    if (isZipRefusal(judged)) return stop(judged);
    admitted.push({ entry, admitted: judged });
  }
  for (const { entry, admitted: judged } of admitted) {
    let stream: Readable;
    try {
      const local = await zipfile.readLocalFileHeaderPromise(entry);
      const placed = ledger.place(judged, { nameBytes: new Uint8Array(local.fileName), flags: local.generalPurposeBitFlag, compressionMethod: local.compressionMethod, dataStart: local.fileDataStart }, fileBytes);
      if (placed) return stop(placed);
      if (judged.directory) continue;
      stream = await zipfile.openReadStreamPromise(entry);
    } catch (error) {
      return stop(damaged(error, judged.path));
    }
    const sink = new ZipEntrySink(judged, nativeSha256);
    const refused = await streamInto(stream, sink, judged);
    if (refused) return stop(refused);
    const read = sink.finish();
    if (isZipRefusal(read)) return stop(read);
    entries.set(read.path, read);
  }
  return { entries, refusal: null };
}

async function withZip(open: () => Promise<yauzl.ZipFile>, fileBytes: number, limits: BundleZipLimits): Promise<BundleArchive> {
  if (fileBytes > limits.maxFileBytes) return { entries: new Map(), refusal: new ZipEntryLedger(limits).openArchive(fileBytes, 0) };
  let zipfile: yauzl.ZipFile;
  try {
    zipfile = await open();
  } catch (error) {
    return { entries: new Map(), refusal: zipRefusals.unreadable('not_a_zip', null, `the file is not a zip, or it is cut short: ${error instanceof Error ? error.message : String(error)}`) };
  }
  try {
    return await readArchive(zipfile, fileBytes, limits);
  } finally {
    zipfile.close();
  }
}

/** Reads a bundle from a file, lazily: only the central directory and one entry at a time. */
export async function readBundleZipFile(path: string, limits: BundleZipLimits = bundleZipLimits): Promise<BundleArchive> {
  const { size } = await stat(path);
  return withZip(() => openFile(path), size, limits);
}

/** Reads a bundle already in memory (one carried inside a signed PDF, or a test's). */
export function readBundleZipBytes(bytes: Uint8Array, limits: BundleZipLimits = bundleZipLimits): Promise<BundleArchive> {
  return withZip(() => openBuffer(bytes), bytes.length, limits);
}
