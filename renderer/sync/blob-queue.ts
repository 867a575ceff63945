import { blobsNamedBy } from '../../shared/sync/door-protocol';
import type { Mutation } from '../../shared/sync/protocol';
import type { BlobRow } from '../db/door-tables';
import type { ReclaimDatabase } from '../db/schema';
import { SyncError } from './sync-error';

/** The server side of blob upload: PUT by hash, idempotent, the server recomputes the hash. */
export interface BlobApi {
  putBlob(sha256: string, blob: Blob): Promise<void>;
}

export interface BlobProgress {
  itemsLeft: number;
  bytesLeft: number;
}

const maxBackoffMs = 5 * 60 * 1000;

/** 2 s, 4 s, 8 s … capped at 5 minutes: a weak signal is not hammered, a good one recovers fast. */
export function backoffMs(attempts: number): number {
  return Math.min(maxBackoffMs, 1000 * 2 ** Math.max(1, attempts));
}

/**
 * Uploads photos and signatures before the rows that name them are pushed. Each file has its
 * own state (waiting, uploading, uploaded, failed with reason); an upload cut mid-way is simply
 * sent again, since a PUT of the same bytes to the same hash is a no-op on the server.
 */
export class BlobQueue {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly api: BlobApi,
    private readonly now: () => number = Date.now,
  ) {}

  async progress(): Promise<BlobProgress> {
    const left = await this.db.blobs.where('state').anyOf('waiting', 'uploading').toArray();
    return { itemsLeft: left.length, bytesLeft: left.reduce((sum, row) => sum + row.size, 0) };
  }

  /**
   * Uploads every blob that is due. It does not throw for a failed upload: the file keeps its
   * state and reason, and rows that need no file can still be pushed. Returns the last failure.
   */
  async uploadPending(onProgress: (progress: BlobProgress) => void = () => undefined): Promise<string | null> {
    // A crash or reload mid-upload leaves 'uploading' behind; those are simply due again. Only
    // written when there are some: an empty modify is still a write, and on a full disk it
    // stopped the outbox (which needs no space to leave) from being pushed at all.
    const interrupted = await this.db.blobs.where('state').equals('uploading').primaryKeys();
    if (interrupted.length > 0) await this.db.blobs.where('sha256').anyOf(interrupted).modify({ state: 'waiting' });
    const due = (await this.db.blobs.where('state').equals('waiting').toArray()).filter((row) => row.nextAttemptAt <= this.now());
    let lastFailure: string | null = null;
    for (const row of due) {
      onProgress(await this.progress());
      await this.db.blobs.update(row.sha256, { state: 'uploading' });
      try {
        await this.api.putBlob(row.sha256, row.blob);
        await this.db.blobs.update(row.sha256, { state: 'uploaded', reason: null });
      } catch (error) {
        const failure = this.failure(row, error);
        await this.db.blobs.update(row.sha256, failure);
        lastFailure = failure.reason ?? null;
        // Unreachable server: the other files would fail the same way; they keep their turn.
        if (error instanceof SyncError && error.kind === 'offline') break;
      }
    }
    onProgress(await this.progress());
    return lastFailure;
  }

  /**
   * Makes every file waiting out its back-off due now. For a person's "Sync now" or the network
   * coming back: the back-off spares a weak signal, not someone who is watching. Files the server
   * refused for good ('failed') stay as they are; sending the same bytes again cannot help.
   */
  async retryNow(): Promise<number> {
    return this.db.blobs
      .where('state')
      .equals('waiting')
      .filter((row) => row.nextAttemptAt > this.now())
      .modify({ nextAttemptAt: this.now(), attempts: 0 });
  }

  /** Mutations that may be pushed now: those whose blobs the server already has. */
  async readyToPush(mutations: readonly Mutation[]): Promise<Set<string>> {
    const ready = new Set<string>();
    for (const mutation of mutations) {
      const hashes = blobsNamedBy(mutation);
      const rows = hashes.length === 0 ? [] : await this.db.blobs.bulkGet(hashes);
      // A blob this device does not hold (pulled from elsewhere) is already on the server.
      if (rows.every((row) => row === undefined || row.state === 'uploaded')) ready.add(mutation.id);
    }
    return ready;
  }

  private failure(row: BlobRow, error: unknown): Partial<BlobRow> {
    const attempts = row.attempts + 1;
    const reason = error instanceof Error ? error.message : 'The upload failed.';
    // The server refused these exact bytes (damaged, too large): sending them again cannot help.
    const final = error instanceof SyncError && error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 408 && error.status !== 429;
    return final
      ? { state: 'failed', reason, attempts }
      : { state: 'waiting', reason, attempts, nextAttemptAt: this.now() + backoffMs(attempts) };
  }
}
