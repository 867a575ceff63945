/**
 * What a custody bundle's zip may be, checked the same way by every reader: yauzl on the command
 * line (scripts/bundle-zip-reader.ts) and fflate in the app (renderer/features/supervise/
 * bundle-verifier.ts). Readers only move bytes; every decision about names, sizes and ratios is
 * made here, so the two doors cannot disagree about what a bundle holds.
 *
 * A reader never holds more than the limits allow: sizes are checked against the central
 * directory before a byte is inflated, every entry is counted while it streams and abandoned the
 * moment it passes what its header declared, and photos are hashed as they pass, never kept.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../custody/crypto-port';
import { strictUtf8, StrictBytesError, utf8 } from './strict-bytes';

const MiB = 1024 * 1024;

/** Entries in one bundle: seven documents and the photos and signatures of one record. */
export const MAX_BUNDLE_ENTRIES = 20_000;
/** One photo or signature: above the server's 25 MiB upload limit, so every stored file fits. */
export const MAX_EVIDENCE_BYTES = 32 * MiB;
/** One JSON or text document of the bundle: about 25,000 events with their log proofs. */
export const MAX_DOCUMENT_BYTES = 32 * MiB;
/** Everything a bundle expands to: 50 photos of a few MB fit many times over. */
export const MAX_BUNDLE_EXPANDED_BYTES = 512 * MiB;
/** The zip file itself, before anything is read. */
export const MAX_BUNDLE_FILE_BYTES = 512 * MiB;
/** The central directory: 20,000 entries with short names take about 2 MiB. */
export const MAX_CENTRAL_DIRECTORY_BYTES = 16 * MiB;
/** Deflate reaches about 1000:1 on zeros; JSON reaches 10:1, photos 1:1. */
export const MAX_COMPRESSION_RATIO = 200;
/** Entries this small may compress as well as they like: they cannot add up to a bomb. */
export const RATIO_CHECKED_ABOVE_BYTES = 1 * MiB;

export interface BundleZipLimits {
  readonly maxEntries: number;
  readonly maxEvidenceBytes: number;
  readonly maxDocumentBytes: number;
  readonly maxExpandedBytes: number;
  readonly maxFileBytes: number;
  readonly maxRatio: number;
  readonly ratioCheckedAbove: number;
}

export const bundleZipLimits: BundleZipLimits = {
  maxEntries: MAX_BUNDLE_ENTRIES,
  maxEvidenceBytes: MAX_EVIDENCE_BYTES,
  maxDocumentBytes: MAX_DOCUMENT_BYTES,
  maxExpandedBytes: MAX_BUNDLE_EXPANDED_BYTES,
  maxFileBytes: MAX_BUNDLE_FILE_BYTES,
  maxRatio: MAX_COMPRESSION_RATIO,
  ratioCheckedAbove: RATIO_CHECKED_ABOVE_BYTES,
};

/** The files a verifier reads whole; everything else (evidence/) is only hashed as it streams. */
export const BUNDLE_DOCUMENTS: ReadonlySet<string> = new Set(['manifest.json', 'manifest.sig', 'events.json', 'certificates.json', 'org-keys.json', 'log-proofs.json', 'README.txt']);
/** The one directory a bundle has; a zip tool may write an entry for it. */
export const EVIDENCE_DIRECTORY = 'evidence/';

export type ZipRefusalCode =
  | 'not_a_zip'
  | 'damaged'
  | 'too_many_entries'
  | 'file_too_large'
  | 'entry_too_large'
  | 'bundle_too_large'
  | 'compression_ratio'
  | 'expands_past_header'
  | 'encrypted'
  | 'unsupported_compression'
  | 'duplicate_entry'
  | 'unsafe_path'
  | 'symlink'
  | 'special_file'
  | 'directory'
  | 'second_name'
  | 'header_mismatch'
  | 'overlapping_entries';

/**
 * Why a reader stopped. 'tampered' when a genuine bundle can never look like this (a second entry
 * of the same name, a path out of the bundle, a symlink); 'unreadable' when the file is not a
 * bundle a verifier can read within its limits (not a zip, damaged, a bomb, encrypted).
 */
export interface ZipRefusal {
  readonly code: ZipRefusalCode;
  readonly status: 'tampered' | 'unreadable';
  /** The entry's name as far as it could be read, or null for the archive as a whole. */
  readonly entry: string | null;
  readonly reason: string;
}

const tampered = (code: ZipRefusalCode, entry: string | null, reason: string): ZipRefusal => ({ code, status: 'tampered', entry, reason });
const unreadable = (code: ZipRefusalCode, entry: string | null, reason: string): ZipRefusal => ({ code, status: 'unreadable', entry, reason });

export function isZipRefusal(value: unknown): value is ZipRefusal {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value && 'reason' in value && !('path' in value);
}

/** A central directory record, as either reader found it. */
export interface ZipEntryHeader {
  readonly nameBytes: Uint8Array;
  readonly flags: number;
  readonly compressionMethod: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly versionMadeBy: number;
  readonly externalAttributes: number;
  readonly extraFieldIds: readonly number[];
  readonly localHeaderOffset: number;
}

/** The local file header in front of an entry's data, which must agree with the directory. */
export interface ZipLocalHeader {
  readonly nameBytes: Uint8Array;
  readonly flags: number;
  readonly compressionMethod: number;
  /** Where the entry's compressed data begins in the file. */
  readonly dataStart: number;
}

export interface AdmittedEntry {
  readonly path: string;
  readonly header: ZipEntryHeader;
  /** Whether the reader keeps the bytes (a document) or only their hash and size (evidence). */
  readonly retain: boolean;
  /** A directory entry (evidence/): it has no data. */
  readonly directory: boolean;
}

/** One file of an opened bundle: its size and SHA-256 always, its bytes when it is a document. */
export interface BundleEntry {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly bytes: Uint8Array<ArrayBuffer> | null;
}

/** What a reader hands the verifier: the files, or the reason it stopped reading. */
export interface BundleArchive {
  readonly entries: ReadonlyMap<string, BundleEntry>;
  readonly refusal: ZipRefusal | null;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const FLAG_ENCRYPTED = 0x1;
const FLAG_STRONG_ENCRYPTION = 0x40;
const FLAG_UTF8 = 0x800;
const EXTRA_ZIP64 = 0x0001;
const EXTRA_UNICODE_PATH = 0x7075;
const STORED = 0;
const DEFLATED = 8;

function printable(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes.slice(0, 120)) out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return bytes.length > 120 ? `${out}…` : out;
}

/**
 * The one way a bundle names its files: short ASCII paths inside the bundle. Each refusal says
 * which rule the name breaks, because "path outside the bundle" is what an auditor must hear
 * about a `../../.bashrc` entry, not "invalid zip".
 */
export function bundleEntryPath(nameBytes: Uint8Array, flags: number): string | ZipRefusal {
  const shown = printable(nameBytes);
  if (nameBytes.length === 0) return tampered('unsafe_path', shown, 'an entry has an empty name');
  if (nameBytes.length > 200) return tampered('unsafe_path', shown, 'an entry name is longer than any bundle path');
  for (const byte of nameBytes) {
    if (byte < 0x20 || byte === 0x7f) return tampered('unsafe_path', shown, `the entry name ${JSON.stringify(shown)} holds a control character (NUL, newline…), which hides what it is`);
  }
  let name: string;
  try {
    name = strictUtf8(nameBytes, 'the entry name');
  } catch (error) {
    return tampered('unsafe_path', shown, error instanceof StrictBytesError ? error.message : 'the entry name is not UTF-8');
  }
  if (/[^\x20-\x7e]/.test(name)) {
    return tampered('unsafe_path', shown, `the entry name ${JSON.stringify(name)} holds characters outside ASCII${(flags & FLAG_UTF8) === 0 ? ' without the UTF-8 flag, so readers may decode it differently' : ''}; bundle paths are plain ASCII`);
  }
  if (name.includes('\\')) return tampered('unsafe_path', name, `the entry name ${JSON.stringify(name)} holds a backslash, which Windows reads as a folder separator`);
  if (name.startsWith('/')) return tampered('unsafe_path', name, `the entry ${JSON.stringify(name)} is an absolute path, outside the bundle`);
  if (/^[A-Za-z]:/.test(name)) return tampered('unsafe_path', name, `the entry ${JSON.stringify(name)} names a drive letter, outside the bundle`);
  const segments = name.split('/');
  if (segments.some((segment) => segment === '..')) return tampered('unsafe_path', name, `the entry ${JSON.stringify(name)} climbs out of the bundle with ".."`);
  const inner = name.endsWith('/') ? segments.slice(0, -1) : segments;
  if (inner.some((segment) => segment === '' || segment === '.')) return tampered('unsafe_path', name, `the entry ${JSON.stringify(name)} has an empty or "." path segment`);
  if (/\s/.test(name)) return tampered('unsafe_path', name, `the entry name ${JSON.stringify(name)} holds whitespace; bundle paths have none`);
  return name;
}

function isDocument(path: string): boolean {
  return BUNDLE_DOCUMENTS.has(path);
}

/**
 * Keeps the running facts of one archive while a reader walks its central directory: names seen,
 * entries, declared bytes, where the previous entry's data ended. Each check returns a refusal or
 * null; a reader stops at the first refusal.
 */
export class ZipEntryLedger {
  private readonly names = new Set<string>();
  private readonly folded = new Set<string>();
  private entries = 0;
  private declared = 0;
  private previousEnd = 0;
  private previousName: string | null = null;

  constructor(private readonly limits: BundleZipLimits = bundleZipLimits) {}

  /** Checks the archive before any entry: its size and the entry count its end record declares. */
  openArchive(fileBytes: number, entryCount: number): ZipRefusal | null {
    if (fileBytes > this.limits.maxFileBytes) return unreadable('file_too_large', null, `the file is ${fileBytes} bytes; a bundle may be at most ${this.limits.maxFileBytes}`);
    if (entryCount > this.limits.maxEntries) return unreadable('too_many_entries', null, `the zip declares ${entryCount} entries; a bundle may have at most ${this.limits.maxEntries}`);
    return null;
  }

  /** Checks one central directory record before its data is touched. */
  admit(header: ZipEntryHeader): AdmittedEntry | ZipRefusal {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) return unreadable('too_many_entries', null, `the zip has more than ${this.limits.maxEntries} entries`);
    const path = bundleEntryPath(header.nameBytes, header.flags);
    if (typeof path !== 'string') return path;
    if (this.names.has(path)) return tampered('duplicate_entry', path, `the zip holds two entries named ${JSON.stringify(path)}; readers disagree about which one counts`);
    if (this.folded.has(path.toLowerCase())) return tampered('duplicate_entry', path, `the zip holds two entries whose names differ only in case (${JSON.stringify(path)}); they collide when unpacked on Windows or macOS`);
    this.names.add(path);
    this.folded.add(path.toLowerCase());
    if (header.extraFieldIds.includes(EXTRA_UNICODE_PATH)) return tampered('second_name', path, `the entry ${JSON.stringify(path)} carries a second (Unicode path) name that some readers show instead`);
    if (header.extraFieldIds.includes(EXTRA_ZIP64)) return unreadable('damaged', path, `the entry ${JSON.stringify(path)} uses zip64, which no bundle needs (bundles stay far below 4 GiB)`);
    // Traditional encryption puts a 12-byte header in front of stored data; a size that does not
    // account for it is a damaged record before it is an encrypted one (yauzl judges it so too).
    const encryptionHeader = (header.flags & FLAG_ENCRYPTED) !== 0 ? 12 : 0;
    if (header.compressionMethod === STORED && header.compressedSize !== header.uncompressedSize + encryptionHeader) {
      return unreadable('damaged', path, `the stored entry ${JSON.stringify(path)} declares ${header.compressedSize} bytes stored but ${header.uncompressedSize} bytes of content`);
    }
    if ((header.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0) return unreadable('encrypted', path, `the entry ${JSON.stringify(path)} is encrypted; bundles are not`);
    const type = (header.externalAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) return tampered('symlink', path, `the entry ${JSON.stringify(path)} is a symbolic link, which could point anywhere on the machine that unpacks it`);
    const directory = path.endsWith('/') || type === S_IFDIR || ((header.externalAttributes & DOS_DIRECTORY) !== 0 && header.versionMadeBy >> 8 === 0);
    if (directory) {
      if (path !== EVIDENCE_DIRECTORY) return tampered('directory', path, `the entry ${JSON.stringify(path)} is a directory; a bundle has none but ${EVIDENCE_DIRECTORY}`);
      if (header.uncompressedSize !== 0 || header.compressedSize > 2) return tampered('directory', path, `the directory entry ${JSON.stringify(path)} carries data`);
    } else if (type !== 0 && type !== S_IFREG) {
      return tampered('special_file', path, `the entry ${JSON.stringify(path)} is not a regular file (a device, a pipe or a socket)`);
    }
    if (header.compressionMethod !== STORED && header.compressionMethod !== DEFLATED) {
      return unreadable('unsupported_compression', path, `the entry ${JSON.stringify(path)} uses compression method ${header.compressionMethod}; bundles are stored or deflated`);
    }
    const cap = isDocument(path) ? this.limits.maxDocumentBytes : this.limits.maxEvidenceBytes;
    if (header.uncompressedSize > cap) return unreadable('entry_too_large', path, `the entry ${JSON.stringify(path)} expands to ${header.uncompressedSize} bytes; a ${isDocument(path) ? 'document' : 'file'} of a bundle may be at most ${cap}`);
    this.declared += header.uncompressedSize;
    if (this.declared > this.limits.maxExpandedBytes) return unreadable('bundle_too_large', path, `the entries expand to more than ${this.limits.maxExpandedBytes} bytes in all; a bundle may expand to at most that`);
    if (header.uncompressedSize > this.limits.ratioCheckedAbove && header.uncompressedSize > header.compressedSize * this.limits.maxRatio) {
      const ratio = header.compressedSize === 0 ? 'an unbounded' : `a ${Math.round(header.uncompressedSize / header.compressedSize)}:1`;
      return unreadable('compression_ratio', path, `the entry ${JSON.stringify(path)} expands ${header.compressedSize} bytes to ${header.uncompressedSize}, ${ratio} ratio; more than ${this.limits.maxRatio}:1 is a zip bomb, not a photo or a record`);
    }
    return { path, header, retain: !directory && isDocument(path), directory };
  }

  /**
   * Checks an entry's local header against its directory record and its place in the file:
   * the same name and method (two readers must see one archive), and data that starts after
   * the previous entry's ends (overlapping entries are how the densest zip bombs are built).
   */
  place(entry: AdmittedEntry, local: ZipLocalHeader, fileBytes: number): ZipRefusal | null {
    const { header, path } = entry;
    if (!sameBytes(local.nameBytes, header.nameBytes)) return tampered('header_mismatch', path, `the entry ${JSON.stringify(path)} is named ${JSON.stringify(printable(local.nameBytes))} in its local header: two readers would see two different files`);
    if (local.compressionMethod !== header.compressionMethod || (local.flags & FLAG_ENCRYPTED) !== (header.flags & FLAG_ENCRYPTED)) {
      return tampered('header_mismatch', path, `the entry ${JSON.stringify(path)} is described differently in its local header and in the central directory`);
    }
    if (header.localHeaderOffset < this.previousEnd) {
      return tampered('overlapping_entries', path, `the entry ${JSON.stringify(path)} starts inside the data of ${JSON.stringify(this.previousName)}: entries overlap or are out of order`);
    }
    const end = local.dataStart + header.compressedSize;
    if (end > fileBytes) return unreadable('damaged', path, `the entry ${JSON.stringify(path)} runs past the end of the file: it is cut short`);
    this.previousEnd = end;
    this.previousName = path;
    return null;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** An entry that inflates to more than its header declares: a bomb that lies about its size. */
export function expandsPastHeader(entry: AdmittedEntry): ZipRefusal {
  return unreadable('expands_past_header', entry.path, `the entry ${JSON.stringify(entry.path)} expands past the ${entry.header.uncompressedSize} bytes its header declares; reading stopped there`);
}

/** A running SHA-256; readers may pass a faster native one. */
export interface StreamingHash {
  update(bytes: Uint8Array): void;
  digest(): Uint8Array;
}

export const nobleSha256 = (): StreamingHash => sha256.create();

/**
 * Counts, hashes and (for documents) keeps the bytes of one entry as they stream out of the
 * inflater. It refuses the first chunk that takes the entry past the size its header declared,
 * so a reader stops inflating a bomb at the declared size, whatever the data says.
 */
export class ZipEntrySink {
  private size = 0;
  private readonly hash: StreamingHash;
  private readonly chunks: Uint8Array[] = [];

  constructor(
    private readonly entry: AdmittedEntry,
    newHash: () => StreamingHash = nobleSha256,
  ) {
    this.hash = newHash();
  }

  push(chunk: Uint8Array): ZipRefusal | null {
    this.size += chunk.length;
    if (this.size > this.entry.header.uncompressedSize) return expandsPastHeader(this.entry);
    this.hash.update(chunk);
    if (this.entry.retain) this.chunks.push(chunk.slice());
    return null;
  }

  finish(): BundleEntry | ZipRefusal {
    if (this.size !== this.entry.header.uncompressedSize) {
      return unreadable('damaged', this.entry.path, `the entry ${JSON.stringify(this.entry.path)} holds ${this.size} bytes, not the ${this.entry.header.uncompressedSize} its header declares: it is cut short or damaged`);
    }
    let bytes: Uint8Array<ArrayBuffer> | null = null;
    if (this.entry.retain) {
      bytes = new Uint8Array(this.size);
      let offset = 0;
      for (const chunk of this.chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      this.chunks.length = 0;
    }
    return { path: this.entry.path, size: this.size, sha256: toHex(this.hash.digest()), bytes };
  }
}

/**
 * An archive from files already in memory (tests, the builder's own output): the same name and
 * size rules as the zip readers, the same hashing, no zip.
 */
export function archiveFromFiles(files: readonly { readonly path: string; readonly bytes: Uint8Array }[]): BundleArchive {
  const ledger = new ZipEntryLedger();
  const entries = new Map<string, BundleEntry>();
  for (const file of files) {
    const nameBytes = utf8(file.path);
    const admitted = ledger.admit({ nameBytes, flags: 0, compressionMethod: STORED, compressedSize: file.bytes.length, uncompressedSize: file.bytes.length, versionMadeBy: 0, externalAttributes: 0, extraFieldIds: [], localHeaderOffset: 0 });
    if (isZipRefusal(admitted)) return { entries, refusal: admitted };
    const sink = new ZipEntrySink(admitted);
    const refused = sink.push(file.bytes);
    if (refused) return { entries, refusal: refused };
    const entry = sink.finish();
    if (isZipRefusal(entry)) return { entries, refusal: entry };
    entries.set(entry.path, entry);
  }
  return { entries, refusal: null };
}

export const zipRefusals = { tampered, unreadable };
