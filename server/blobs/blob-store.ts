import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
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
 * Photos and signatures, stored by the SHA-256 of their bytes under ab/cd/<hash>. The name is
 * the content, so an upload is verified by recomputing it, a retry is a no-op, and a custody
 * record that names a hash names exactly these bytes.
 */
export function blobStore(root: string) {
  const pathOf = (hash: string) => join(root, hash.slice(0, 2), hash.slice(2, 4), hash);

  return {
    async size(hash: string): Promise<number | null> {
      try {
        return (await stat(pathOf(hash))).size;
      } catch {
        return null;
      }
    },

    open(hash: string): Readable {
      return createReadStream(pathOf(hash));
    },

    /**
     * Streams the body to a temp file while hashing it, then renames it into place. Rename is
     * atomic on one file system, so a reader never sees half a blob.
     */
    async put(hash: string, body: Readable): Promise<'stored' | 'existed'> {
      const tmpDir = join(root, 'tmp');
      await mkdir(tmpDir, { recursive: true });
      const tmpFile = join(tmpDir, `${randomUUID()}.part`);
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
        await pipeline(body, meter, createWriteStream(tmpFile));
        const actual = digest.digest('hex');
        if (actual !== hash) throw new BlobHashMismatchError(hash, actual);
        if ((await this.size(hash)) !== null) {
          await rm(tmpFile, { force: true });
          return 'existed';
        }
        await mkdir(join(root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
        await rename(tmpFile, pathOf(hash));
        return 'stored';
      } catch (error) {
        await rm(tmpFile, { force: true });
        throw error;
      }
    },
  };
}
