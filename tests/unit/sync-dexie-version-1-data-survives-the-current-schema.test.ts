import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { readMeta } from '../../renderer/db/meta';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { jobListKey } from '../../renderer/db/job-list-key';
import { searchWordsForJob } from '../../renderer/db/search-words';
import { ReclaimDatabase, type LocalJob, type OutboxEntry } from '../../renderer/db/schema';
import { makeJob, serverTime } from './renderer-test-fixtures';

/**
 * An agent updates the app with unsynced work on the laptop. The database was written by the
 * first shipped schema (version 1, before route plans and door work); the current code must open
 * it, keep every row, outbox order and cursor, and carry on writing.
 */
const version1Stores = {
  jobs: 'id, status, dueDate, assignedAgentId, updatedAt, *searchWords',
  jobStatusChanges: 'id, jobId, at',
  jobNotes: 'id, jobId, at',
  outbox: '++seq, &id, entity, jobId',
  rejectedMutations: 'id, jobId',
  meta: 'key',
};

describe('a database written by schema version 1 opens with the current code', () => {
  it('keeps jobs, history, the outbox in order, the cursor and the session', async () => {
    const name = `v1-${newId()}`;
    const old = new Dexie(name);
    old.version(1).stores(version1Stores);
    await old.open();
    const job = makeJob({ customerName: 'Ada Vance' });
    // Version 1 rows had no list order yet; the upgrade to version 5 gives them one (and their words).
    const local: Omit<LocalJob, 'listKey'> = { ...job, confirmedStatus: job.status, lastConfirmedAt: serverTime, searchWords: ['ada', 'vance'], removedOnServer: false };
    const note = { id: newId(), jobId: job.id, text: 'Dog in the yard', at: serverTime, byUserId: newId() };
    const mutations = [0, 1, 2].map((index) => ({
      id: newId(),
      entity: 'jobNote' as const,
      jobId: job.id,
      mutation: { id: newId(), deviceId: 'laptop-1', clientTime: serverTime, hlc: `000001700000000:0000${index}:laptop-1`, entity: 'jobNote' as const, op: 'create' as const, data: { ...note, id: newId(), text: `note ${index}` } },
    }));
    await old.table('jobs').put(local);
    await old.table('jobNotes').put(note);
    for (const entry of mutations) await old.table('outbox').add(entry);
    await old.table('meta').bulkPut([
      { key: 'cursor', value: '42' },
      { key: 'deviceId', value: 'laptop-1' },
      { key: 'hlc', value: '000001700000000:00002:laptop-1' },
    ]);
    old.close();

    const db = new ReclaimDatabase(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(3);
    expect(await db.jobs.get(job.id)).toEqual({ ...local, listKey: jobListKey(job), searchWords: searchWordsForJob(job) });
    expect(await db.jobNotes.get(note.id)).toEqual(note);
    const outbox: OutboxEntry[] = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((entry) => entry.id)).toEqual(mutations.map((entry) => entry.id));
    expect(await readMeta(db, 'cursor')).toBe('42');
    expect(await readMeta(db, 'deviceId')).toBe('laptop-1');
    // The search index still answers, and the tables added since are there and empty.
    expect((await new JobsRepository(db).listJobs({ search: 'vanc' })).map((found) => found.id)).toEqual([job.id]);
    expect(await db.visits.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    expect(await db.routePlans.count()).toBe(0);
    db.close();
  });
});
