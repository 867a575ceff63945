import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/domain/job';
import { readMeta } from '../../renderer/db/meta';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import type { PullOptions, SyncApi } from '../../renderer/sync/api-client';
import { SyncEngine, type SyncProgress } from '../../renderer/sync/engine';
import { SyncError } from '../../renderer/sync/sync-error';
import { freshDatabase, jobPage, makeJob, signInAs } from './renderer-test-fixtures';

/**
 * A first sync asks for the next pull page while the page in hand is written, so the server,
 * the network and validation overlap IndexedDB's writes. That must not change what lands: each
 * page whole with its cursor, in the server's order; a page fetched ahead of one that failed to
 * store is never stored, and the next round asks for it again from the stored cursor. Storage
 * is watched (and failed) at Dexie's lowest layer, as the browser would fail it; the watch is
 * installed before the database opens, or Dexie would not route writes through it.
 *
 * A server that names the next cursor in its answer's headers has pages asked for before the one
 * in hand is even read: up to three ahead of the page being stored, never more, and never a page stored out of
 * turn or at a cursor its predecessor's body did not give, whatever the headers claim.
 */
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

interface Watch {
  /** "ask <cursor>" for each pull request, "store <n> jobs" for each write of jobs, in the order they happened. */
  events: string[];
  /** This write of jobs (1 for the first) fails, as IndexedDB fails a write when the disk is full. */
  failJobsWrite: number | null;
  jobsWrites: number;
}

function watched(target: ReclaimDatabase, watch: Watch): void {
  target.use({
    stack: 'dbcore',
    name: 'watched-job-writes',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
            if (name !== 'jobs' || request.type !== 'put') return table.mutate(request);
            watch.jobsWrites += 1;
            if (watch.jobsWrites === watch.failJobsWrite) {
              return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
            }
            watch.events.push(`store ${request.values.length} jobs`);
            return table.mutate(request);
          },
        };
      },
    }),
  });
}

/** A server holding `pages` at cursors 0, 10, 20…; `failAsk` makes the request for that cursor fail as a cut connection does. */
function pagedServer(pages: Job[][], watch: Watch, failAsk: { cursor: string | null } = { cursor: null }): SyncApi {
  return {
    push: () => Promise.reject(new Error('nothing to push')),
    async pull(cursor) {
      watch.events.push(`ask ${cursor}`);
      if (cursor === failAsk.cursor) {
        failAsk.cursor = null;
        throw new SyncError('offline', 'The sync server cannot be reached.', 'It will try again by itself.');
      }
      const index = Number(cursor) / 10;
      return jobPage(pages[index] ?? [], { cursor: String((index + 1) * 10), hasMore: index + 1 < pages.length });
    },
    orgKeyHistory: () => Promise.reject(new Error('not asked')),
    custodyLogConsistency: () => Promise.reject(new Error('not asked')),
  };
}

const threePages = () => [[makeJob(), makeJob()], [makeJob(), makeJob(), makeJob()], [makeJob()]];

describe('a pipelined pull', () => {
  it('asks for the next page before writing the one in hand, and stores every page in order with its cursor', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: null, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    const progress: SyncProgress[] = [];

    const report = await new SyncEngine({ db, api: pagedServer(threePages(), watch), onProgress: (step) => progress.push(step) }).syncOnce();

    expect(watch.events).toEqual(['ask 0', 'ask 10', 'store 2 jobs', 'ask 20', 'store 3 jobs', 'store 1 jobs']);
    expect(report.pulled).toBe(6);
    expect(await db.jobs.count()).toBe(6);
    expect(await readMeta(db, 'cursor')).toBe('30');
    expect(progress.filter((step) => step.step === 'pulling').map((step) => step.step === 'pulling' && step.received)).toEqual([0, 2, 5]);
  });

  it('never stores a page fetched ahead of one that failed to store, and asks for both again next round', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: 2, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    const engine = new SyncEngine({ db, api: pagedServer(threePages(), watch) });

    // The second page's write fails after the third page was already asked for.
    await expect(engine.syncOnce()).rejects.toThrow();
    expect(watch.events).toEqual(['ask 0', 'ask 10', 'store 2 jobs', 'ask 20']);
    expect(await db.jobs.count()).toBe(2);
    expect(await readMeta(db, 'cursor')).toBe('10');

    watch.events = [];
    await engine.syncOnce();
    expect(watch.events).toEqual(['ask 10', 'ask 20', 'store 3 jobs', 'store 1 jobs']);
    expect(await db.jobs.count()).toBe(6);
    expect(await readMeta(db, 'cursor')).toBe('30');
  });

  it('keeps the page in hand when the request for the next one fails meanwhile, and goes on from it next round', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: null, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    const engine = new SyncEngine({ db, api: pagedServer(threePages(), watch, { cursor: '20' }) });

    // The request for the third page fails while the second is written; the failure is the round's, not an unhandled one.
    await expect(engine.syncOnce()).rejects.toSatisfy((error: unknown) => error instanceof SyncError && error.kind === 'offline');
    expect(watch.events).toEqual(['ask 0', 'ask 10', 'store 2 jobs', 'ask 20', 'store 3 jobs']);
    expect(await db.jobs.count()).toBe(5);
    expect(await readMeta(db, 'cursor')).toBe('20');

    watch.events = [];
    await engine.syncOnce();
    expect(watch.events).toEqual(['ask 20', 'store 1 jobs']);
    expect(await db.jobs.count()).toBe(6);
    expect(await readMeta(db, 'cursor')).toBe('30');
  });
});

/**
 * A server holding `pages` at cursors 0, 10, 20… that names a next cursor in its headers before
 * the body arrives, as PULL_NEXT_CURSOR_HEADER does: `name` says which (by default the true one).
 * The body comes a turn later, as a body follows its headers. `tally.highest` is the most pages
 * ever asked for and not yet written: the one being written and those asked ahead of it.
 */
function headerNamingServer(pages: Job[][], watch: Watch, name: (cursor: string) => string | null = (cursor) => String(Number(cursor) + 10)) {
  const tally = { asked: 0, highest: 0 };
  const api: SyncApi = {
    push: () => Promise.reject(new Error('nothing to push')),
    async pull(cursor: string, _limit: number, options?: PullOptions) {
      watch.events.push(`ask ${cursor}`);
      tally.asked += 1;
      const stored = watch.events.filter((event) => event.startsWith('store')).length;
      tally.highest = Math.max(tally.highest, tally.asked - stored);
      const index = Number(cursor) / 10;
      const hasMore = index + 1 < pages.length;
      const named = hasMore ? name(cursor) : null;
      if (named !== null) options?.onNextCursor?.(named);
      await Promise.resolve();
      watch.events.push(`answer ${cursor}`);
      return jobPage(pages[index] ?? [], { cursor: String((index + 1) * 10), hasMore });
    },
    orgKeyHistory: () => Promise.reject(new Error('not asked')),
    custodyLogConsistency: () => Promise.reject(new Error('not asked')),
  };
  return { api, tally };
}

const sixPages = () => [1, 2, 3, 4, 5, 6].map((size) => Array.from({ length: size }, () => makeJob()));

describe('a pull from a server that names the next cursor in its headers', () => {
  it('asks up to three pages ahead before storing any, never more than three ahead of the page being stored, and stores each in order with its cursor', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: null, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    const { api, tally } = headerNamingServer(sixPages(), watch);

    const report = await new SyncEngine({ db, api }).syncOnce();

    // The second and third pages were asked for from the headers, before the first page's body came.
    expect(watch.events.slice(0, 4)).toEqual(['ask 0', 'ask 10', 'ask 20', 'answer 0']);
    expect(watch.events.filter((event) => event.startsWith('store'))).toEqual(['store 1 jobs', 'store 2 jobs', 'store 3 jobs', 'store 4 jobs', 'store 5 jobs', 'store 6 jobs']);
    expect(watch.events.filter((event) => event.startsWith('ask'))).toEqual(['ask 0', 'ask 10', 'ask 20', 'ask 30', 'ask 40', 'ask 50']);
    // The page being written and three asked ahead of it.
    expect(tally.highest).toBe(4);
    expect(report.pulled).toBe(21);
    expect(await db.jobs.count()).toBe(21);
    expect(await readMeta(db, 'cursor')).toBe('60');
  });

  it('follows the body, not a header that names another cursor: the page asked at the wrong cursor is never stored', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: null, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    // The second page's headers name a cursor far past the third page; nothing is held there.
    const { api } = headerNamingServer(threePages(), watch, (cursor) => (cursor === '10' ? '990' : String(Number(cursor) + 10)));

    await new SyncEngine({ db, api }).syncOnce();

    expect(watch.events).toContain('ask 990');
    expect(watch.events.filter((event) => event.startsWith('store'))).toEqual(['store 2 jobs', 'store 3 jobs', 'store 1 jobs']);
    expect(await db.jobs.count()).toBe(6);
    expect(await readMeta(db, 'cursor')).toBe('30');
  });

  it('asks a server that names its cursors in a circle a bounded number of times, and still stores every page once', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: null, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    // Each page's headers name the first page's cursor, or the second's for the first.
    const { api, tally } = headerNamingServer(sixPages(), watch, (cursor) => (cursor === '0' ? '10' : '0'));

    await new SyncEngine({ db, api }).syncOnce();

    expect(watch.events.filter((event) => event.startsWith('store'))).toEqual(['store 1 jobs', 'store 2 jobs', 'store 3 jobs', 'store 4 jobs', 'store 5 jobs', 'store 6 jobs']);
    expect(tally.highest).toBeLessThanOrEqual(4);
    // Six pages, each asked once by its body's cursor, and at most a wasted request of page 0 per page taken.
    expect(tally.asked).toBeLessThanOrEqual(12);
    expect(await db.jobs.count()).toBe(21);
    expect(await readMeta(db, 'cursor')).toBe('60');
  });

  it('keeps the pages already stored when a page asked ahead fails, and goes on from the last stored cursor next round', async () => {
    db = freshDatabase();
    const watch: Watch = { events: [], failJobsWrite: 3, jobsWrites: 0 };
    watched(db, watch);
    await signInAs(db);
    const { api } = headerNamingServer(sixPages(), watch);
    const engine = new SyncEngine({ db, api });

    await expect(engine.syncOnce()).rejects.toThrow();
    expect(watch.events.filter((event) => event.startsWith('store'))).toEqual(['store 1 jobs', 'store 2 jobs']);
    expect(await readMeta(db, 'cursor')).toBe('20');

    watch.events = [];
    await engine.syncOnce();
    expect(watch.events[0]).toBe('ask 20');
    expect(watch.events.filter((event) => event.startsWith('store'))).toEqual(['store 3 jobs', 'store 4 jobs', 'store 5 jobs', 'store 6 jobs']);
    expect(await db.jobs.count()).toBe(21);
    expect(await readMeta(db, 'cursor')).toBe('60');
  });
});
