import type { CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_BATCH, type PullResponse } from '../../shared/sync/protocol';
import { ensureDeviceId } from '../db/device';
import { readMeta, writeMeta } from '../db/meta';
import { purgeReleasedJobs, settlePushResults } from '../db/outbox';
import type { ReclaimDatabase } from '../db/schema';
import type { SyncApi } from './api-client';
import type { BlobQueue } from './blob-queue';
import { checkpointJudge, custodyLogError, type CheckpointJudge } from './custody-log-watch';
import { readPullPage, storePullPage } from './pull-apply';
import { SyncError, toSyncError } from './sync-error';

export type SyncProgress =
  | { step: 'uploading'; itemsLeft: number; bytesLeft: number }
  | { step: 'pushing'; sent: number; total: number }
  /** `total` is what the server said this round brings, when it says (older servers do not). */
  | { step: 'pulling'; received: number; total: number | null };

/**
 * The app's pull page: the protocol's largest. A first sync is then a few dozen pages, each one
 * transaction of bulk writes, instead of hundreds of round trips and commits.
 */
export const APP_PULL_LIMIT = MAX_PULL_LIMIT;
/** Pages asked for ahead of the one being stored, at most: with it, what a long download holds in memory (a page is a few MB at most). */
const PULL_PAGES_AHEAD = 3;

export interface SyncReport {
  applied: number;
  duplicate: number;
  rejected: number;
  pulled: number;
  cursor: string;
  finishedAt: string;
}

export interface SyncEngineOptions {
  db: ReclaimDatabase;
  api: SyncApi;
  /** At most MAX_PUSH_BATCH; smaller batches mean less to resend after a cut connection. */
  pushBatchSize?: number;
  pullLimit?: number;
  onProgress?: (progress: SyncProgress) => void;
  now?: () => Date;
  /** Photos and signatures; uploaded before the rows that name them are pushed. */
  blobs?: BlobQueue;
  /** Checks custody log checkpoints; the platform's WebCrypto unless a test gives another. */
  subtle?: CustodySubtleCrypto;
}

/**
 * One round of sync: push the outbox in order, then pull until the server has nothing more.
 * Platform-free (no window, no timers) so it runs the same in the app and in Node tests.
 * Callers must not run two rounds at once; the scheduler guarantees it in the app.
 */
export class SyncEngine {
  private readonly db: ReclaimDatabase;
  private readonly api: SyncApi;
  private readonly pushBatchSize: number;
  private readonly pullLimit: number;
  private readonly onProgress: (progress: SyncProgress) => void;
  private readonly now: () => Date;
  private readonly blobs: BlobQueue | null;
  private readonly judgeCheckpoint: CheckpointJudge;

  constructor(options: SyncEngineOptions) {
    this.db = options.db;
    this.api = options.api;
    this.pushBatchSize = Math.min(options.pushBatchSize ?? 100, MAX_PUSH_BATCH);
    this.pullLimit = options.pullLimit ?? DEFAULT_PULL_LIMIT;
    this.onProgress = options.onProgress ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
    this.blobs = options.blobs ?? null;
    this.judgeCheckpoint = checkpointJudge({ db: this.db, api: this.api, subtle: options.subtle ?? crypto.subtle, now: this.now });
  }

  /**
   * Resolves when everything is pushed and pulled; rejects with a SyncError otherwise.
   * `retryUploadsNow` (a person asked, or the network came back) sends files still waiting out
   * their back-off at once instead of holding their records for another round.
   */
  async syncOnce(options: { retryUploadsNow?: boolean } = {}): Promise<SyncReport> {
    try {
      if (options.retryUploadsNow) await this.blobs?.retryNow();
      const pushed = await this.push();
      const pulled = await this.pull();
      if (pushed.held > 0) {
        throw new SyncError(
          'server',
          `${pushed.held} record${pushed.held === 1 ? '' : 's'} wait${pushed.held === 1 ? 's' : ''} for photos or signatures to upload${pushed.uploadFailure ? ` (${pushed.uploadFailure})` : ''}.`,
          'They are kept on this device and sent once the files are uploaded; it tries again by itself.',
        );
      }
      if (pushed.deferred > 0 && pushed.deferredCodes.some((code) => code !== 'clock_drift' && code !== null)) {
        throw new SyncError(
          'server',
          `${pushed.deferred} change${pushed.deferred === 1 ? '' : 's'} will be sent again: ${pushed.deferredReasons[0] ?? 'the server is waiting for something else first'}`,
          'They are kept on this device; sync tries again by itself.',
        );
      }
      if (pushed.deferred > 0) {
        // A clock-drift refusal keeps the change for later; hiding it would look like a silent sync failure.
        throw new SyncError(
          'clock_drift',
          `${pushed.deferred} change${pushed.deferred === 1 ? '' : 's'} could not be synced: ${pushed.deferredReasons[0] ?? "this computer's clock is ahead of the server's"}`,
          "Check this computer's date, time and time zone. The changes are kept and sync once the clock is right.",
        );
      }
      const finishedAt = this.now().toISOString();
      await writeMeta(this.db, 'lastSyncAt', finishedAt);
      // Everything synced, but the server's custody log cannot be trusted: that is shown on every
      // round until the server offers a checkpoint that extends the one this laptop holds.
      const logError = await custodyLogError(this.db);
      if (logError) throw logError;
      return { applied: pushed.applied, duplicate: pushed.duplicate, rejected: pushed.rejected, pulled: pulled.count, cursor: pulled.cursor, finishedAt };
    } catch (error) {
      throw toSyncError(error);
    }
  }

  private async push() {
    const { db } = this;
    const deviceId = await ensureDeviceId(db);
    const total = await db.outbox.count();
    const uploadFailure = this.blobs ? await this.blobs.uploadPending((left) => this.onProgress({ step: 'uploading', ...left })) : null;
    const totals = { applied: 0, duplicate: 0, rejected: 0, deferred: 0, held: 0, uploadFailure, deferredReasons: [] as string[], deferredCodes: [] as (string | null)[] };
    let afterSeq = 0;
    let sent = 0;
    for (;;) {
      // Walk by seq rather than re-reading the head: deferred entries stay and must not be resent in a loop.
      const batch = await db.outbox.where('seq').above(afterSeq).limit(this.pushBatchSize).toArray();
      const last = batch.at(-1);
      if (!last || last.seq === undefined) break;
      this.onProgress({ step: 'pushing', sent, total });
      // Rows naming a photo or signature the server does not have yet stay in the outbox for now.
      const ready = this.blobs ? await this.blobs.readyToPush(batch.map((entry) => entry.mutation)) : null;
      const sending = ready ? batch.filter((entry) => ready.has(entry.id)) : batch;
      totals.held += batch.length - sending.length;
      sent += batch.length - sending.length;
      afterSeq = last.seq;
      if (sending.length === 0) continue;
      const response = await this.api.push({ deviceId, mutations: sending.map((entry) => entry.mutation) });
      const settled = await settlePushResults(db, sending, response.results, this.now);
      totals.applied += settled.applied;
      totals.duplicate += settled.duplicate;
      totals.rejected += settled.rejected;
      totals.deferred += settled.deferred;
      totals.deferredReasons.push(...settled.deferredReasons);
      totals.deferredCodes.push(...settled.deferredCodes);
      sent += sending.length;
    }
    if (total > 0) this.onProgress({ step: 'pushing', sent, total });
    await purgeReleasedJobs(db);
    return totals;
  }

  /**
   * Pages are pipelined, so the server and the network work while this device checks and stores.
   * A server that names the next page's cursor in its answer's headers (PULL_NEXT_CURSOR_HEADER)
   * has that page asked for as soon as the headers arrive, before this page's body is read; at
   * most PULL_PAGES_AHEAD pages are asked for ahead of the one being stored, the rest as pages
   * are taken. On a field connection each page's round trip then overlaps the work on the pages
   * before it. Without the header, the next page is asked for by the cursor in the body of the
   * page in hand, while it is stored.
   *
   * Each page still lands whole, in order, with its cursor: the page taken next is always the one
   * asked after the cursor in the last stored page's body (a header the body did not confirm only
   * wasted a request). A page fetched ahead of one that failed to store is dropped and asked for
   * again next round.
   */
  private async pull(): Promise<{ count: number; cursor: string }> {
    let cursor = (await readMeta(this.db, 'cursor')) ?? '0';
    let count = 0;
    let total: number | null = null;
    let firstPage = true;
    this.onProgress({ step: 'pulling', received: 0, total: null });
    /** Pages asked for and not yet taken to be stored, by the cursor they were asked after. */
    const asked = new Map<string, Promise<PullResponse>>();
    /** The next cursor each answer's headers named, by the cursor it was asked after. */
    const named = new Map<string, string>();
    // Follows the named cursors from `after`, a few steps at most (a server naming cursors in a
    // circle gets no more requests than one naming them in a line).
    const askAhead = (after: string) => {
      let next = named.get(after);
      for (let step = 0; step < PULL_PAGES_AHEAD && next !== undefined && asked.size < PULL_PAGES_AHEAD; step += 1) {
        if (!asked.has(next)) ask(next, false);
        next = named.get(next);
      }
    };
    const ask = (after: string, withRemaining: boolean): Promise<PullResponse> => {
      const known = asked.get(after);
      if (known) return known;
      // Heard before this page is registered as asked (a transport that answers at once), the
      // name is only noted, and followed once it is.
      const onNextCursor = (next: string) => {
        named.set(after, next);
        if (asked.has(after)) askAhead(after);
      };
      const page = this.api.pull(after, this.pullLimit, { withRemaining, onNextCursor }).then(readPullPage);
      // Settled here if it is never taken (an earlier page failed); awaited, and its error seen, otherwise.
      page.catch(() => undefined);
      asked.set(after, page);
      askAhead(after);
      return page;
    };
    // Only the first page asks for the count (a count is not free); the rest is counted against it.
    let next = ask(cursor, true);
    for (;;) {
      const page = await next;
      asked.delete(cursor);
      named.delete(cursor);
      const advanced = page.cursor !== cursor;
      if (page.hasMore && advanced) {
        next = ask(page.cursor, false);
        askAhead(page.cursor);
      }
      const { applied } = await storePullPage(this.db, page, this.judgeCheckpoint);
      if (firstPage && page.remaining !== undefined) total = applied + page.remaining;
      firstPage = false;
      count += applied;
      if (page.hasMore) this.onProgress({ step: 'pulling', received: count, total: total === null ? null : Math.max(total, count) });
      cursor = page.cursor;
      if (!page.hasMore) break;
      if (!advanced) {
        throw new SyncError(
          'invalid_response',
          'The sync server said more changes were waiting but sent none.',
          'It will try again by itself. If this keeps happening, tell the office.',
        );
      }
    }
    // A removal may have arrived for a job whose last change was just pushed.
    await purgeReleasedJobs(this.db);
    return { count, cursor };
  }
}
