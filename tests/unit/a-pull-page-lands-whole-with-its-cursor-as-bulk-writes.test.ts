import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import type { Change, PullResponse } from '../../shared/sync/protocol';
import { readMeta } from '../../renderer/db/meta';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { allStatusChanges } from '../../renderer/db/status-change-packs';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { freshDatabase, makeJob, serverTime } from './renderer-test-fixtures';

/**
 * A first sync writes thousands of jobs; each pull page must land whole with its cursor (or not
 * at all, and be pulled again), and as a few bulk writes rather than one write per row, which
 * is what made a first sync cost many times its transfer. Storage failures are injected at
 * Dexie's lowest layer (DBCore), as the browser would give them; the writes are counted there.
 */
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

interface Storage {
  /** Writes to this table fail, as IndexedDB fails a write when the disk is full. */
  failing: string | null;
  /** Write requests per table that reached IndexedDB. */
  writes: Map<string, number>;
}

function watchedStorage(target: ReclaimDatabase): Storage {
  const storage: Storage = { failing: null, writes: new Map() };
  target.use({
    stack: 'dbcore',
    name: 'watched-storage',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
            storage.writes.set(name, (storage.writes.get(name) ?? 0) + 1);
            return storage.failing === name ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) : table.mutate(request);
          },
        };
      },
    }),
  });
  return storage;
}

let seq = 1000;
/** A page as the server sends it: each job, its status change and a note. */
function pageOf(jobCount: number, cursor: string): PullResponse {
  const changes: Change[] = [];
  for (let index = 0; index < jobCount; index += 1) {
    const job = makeJob({ status: 'assigned', customerName: `Customer ${index}` });
    const byUserId = newId();
    changes.push({ seq: String(++seq), entity: 'job', op: 'upsert', data: job });
    changes.push({ seq: String(++seq), entity: 'jobStatusChange', op: 'upsert', data: { id: newId(), jobId: job.id, from: 'unassigned', to: 'assigned', at: serverTime, byUserId, reason: null } });
    changes.push({ seq: String(++seq), entity: 'jobNote', op: 'upsert', data: { id: newId(), jobId: job.id, text: `Gate code ${index}`, at: serverTime, byUserId } });
  }
  return { changes, cursor, hasMore: false, serverTime };
}

describe('a pull page', () => {
  it('lands whole with its cursor, or not at all when storage fails partway', async () => {
    db = freshDatabase();
    const storage = watchedStorage(db);
    await applyPullPage(db, pageOf(3, '10'));
    const before = { jobs: await db.jobs.count(), changes: (await allStatusChanges(db)).length, notes: await db.jobNotes.count() };

    // The notes are written after the jobs and status changes: those must not stay behind.
    storage.failing = 'jobNotes';
    await expect(applyPullPage(db, pageOf(200, '20'))).rejects.toThrow();
    expect({ jobs: await db.jobs.count(), changes: (await allStatusChanges(db)).length, notes: await db.jobNotes.count() }).toEqual(before);
    expect(await readMeta(db, 'cursor')).toBe('10');

    storage.failing = null;
    const retried = pageOf(200, '20');
    await applyPullPage(db, retried);
    expect(await db.jobs.count()).toBe(before.jobs + 200);
    expect(await db.jobNotes.count()).toBe(before.notes + 200);
    expect(await readMeta(db, 'cursor')).toBe('20');
  }, 60_000);

  it('writes its 200 jobs, status changes and notes as one bulk write per table (the status changes as one record)', async () => {
    db = freshDatabase();
    const storage = watchedStorage(db);
    await applyPullPage(db, pageOf(200, '30'));
    expect(await db.jobs.count()).toBe(200);
    expect(Object.fromEntries(storage.writes)).toEqual({ jobs: 1, statusChangePacks: 1, jobNotes: 1, meta: 1 });
  }, 60_000);

  it('ends a job removed and given back on the same page as the server left it', async () => {
    db = freshDatabase();
    const job = makeJob({ status: 'assigned' });
    const given = (seqNo: number): Change => ({ seq: String(seqNo), entity: 'job', op: 'upsert', data: job });
    await applyPullPage(db, { changes: [given(1), { seq: '2', entity: 'jobRemoval', op: 'remove', id: job.id }], cursor: '2', hasMore: false, serverTime });
    expect(await db.jobs.get(job.id)).toBeUndefined();

    await applyPullPage(db, { changes: [{ seq: '3', entity: 'jobRemoval', op: 'remove', id: job.id }, given(4)], cursor: '4', hasMore: false, serverTime });
    expect((await db.jobs.get(job.id))?.customer.name).toBe(job.customer.name);
  });
});
