import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open as openFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const MAX_BLOB_BYTES = 25 * 1024 * 1024;

export class BlobTooLargeError extends Error {
  constructor() {
    super(`A file may be at most ${MAX_BLOB_BYTES / 1024 / 1024} MiB.`);
  }
}

export class BlobHashMismatchError extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`The uploaded bytes hash to ${actual}, not ${expected}; the upload was damaged or named wrongly.`);
  }
}

/**
 * Photos and signatures, named by the SHA-256 of their bytes. The name is the content, so an
 * upload is verified by recomputing it, a retry is a no-op, and a custody record that names a
 * hash names exactly these bytes. Every implementation keeps those three promises.
 */
export interface BlobStore {
  /** Where the bytes live, for the start-up line and the health of a deployment. */
  readonly kind: 'folder' | 's3';
  /** The blob's size in bytes, or null when the store does not have it. */
  size(hash: string): Promise<number | null>;
  /** The bytes, streamed; call only after size() said the blob exists. */
  open(hash: string): Promise<Readable>;
  /** Stores `body` under `hash` once its bytes are checked to hash to it; refuses a mismatch. */
  put(hash: string, body: Readable): Promise<'stored' | 'existed'>;
}

/** The local path of a blob: ab/cd/<hash>, so no folder grows to millions of entries. */
export function blobKey(hash: string): string {
  return `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
}

/**
 * Streams `body` into `file` while hashing and counting it, refusing more than MAX_BLOB_BYTES
 * or bytes that do not hash to `expected`. The file is removed when it is refused.
 */
export async function spoolVerified(body: Readable, file: string, expected: string): Promise<number> {
  const digest = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > MAX_BLOB_BYTES) return callback(new BlobTooLargeError());
      digest.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file));
    const actual = digest.digest('hex');
    if (actual !== expected) throw new BlobHashMismatchError(expected, actual);
    return bytes;
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

/** The default store: a folder on the server's disk (dataDir/blobs), under ab/cd/<hash>. */
export function folderBlobStore(root: string): BlobStore {
  const pathOf = (hash: string) => join(root, blobKey(hash));
  const size = async (hash: string): Promise<number | null> => {
    try {
      return (await stat(pathOf(hash))).size;
    } catch {
      return null;
    }
  };

  return {
    kind: 'folder',
    size,
    open: async (hash) => createReadStream(pathOf(hash)),
    /**
     * Streams the body to a temp file while hashing it, then renames it into place. Rename is
     * atomic on one file system, so a reader never sees half a blob. The file's bytes are synced
     * before the rename and its folder after it (and any folder the rename needed, up to the
     * root), so a photo is on disk before its upload is answered: the laptop may then let go of
     * it, and a power cut must not take it back.
     */
    async put(hash, body) {
      const tmpDir = join(root, 'tmp');
      await mkdir(tmpDir, { recursive: true });
      const tmpFile = join(tmpDir, `${randomUUID()}.part`);
      await spoolVerified(body, tmpFile, hash);
      try {
        if ((await size(hash)) !== null) {
          await rm(tmpFile, { force: true });
          return 'existed';
        }
        await syncFile(tmpFile);
        const folder = join(root, hash.slice(0, 2), hash.slice(2, 4));
        const firstCreated = await mkdir(folder, { recursive: true });
        await rename(tmpFile, pathOf(hash));
        await syncFolder(folder);
        // A new ab/cd/ is an entry in ab/, and a new ab/ one in the root.
        if (firstCreated !== undefined) {
          await syncFolder(dirname(folder));
          await syncFolder(root);
        }
        return 'stored';
      } catch (error) {
        await rm(tmpFile, { force: true });
        throw error;
      }
    },
  };
}

/** fsync: the file's bytes are on disk when this resolves. */
async function syncFile(path: string): Promise<void> {
  const handle = await openFile(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fsync of a folder: its entries (a file renamed into it, a folder made in it) are on disk. Linux
 * and macOS sync a folder opened read-only; Windows cannot open one, and NTFS journals the rename.
 */
async function syncFolder(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  await syncFile(path);
}
