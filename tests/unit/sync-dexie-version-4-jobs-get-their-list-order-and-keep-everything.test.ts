import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { jobListKey } from '../../renderer/db/job-list-key';
import { selectJobIds } from '../../renderer/db/job-list-order';
import { JobsRepository, type JobListFilter } from '../../renderer/db/jobs-repository';
import { readMeta } from '../../renderer/db/meta';
import { ReclaimDatabase, type LocalJob, type OutboxEntry } from '../../renderer/db/schema';
import { searchWordsForJob } from '../../renderer/db/search-words';
import { makeJob, serverTime } from './renderer-test-fixtures';

/**
 * An agent updates the app from schema version 4 (jobs sorted in memory) to version 5 (the list
 * reads index ranges in its own order) with unsynced work on the laptop. Every row, the outbox
 * in order, the cursor and the door records must survive; each job gains its list order, so the
 * upgraded list shows every job, in order, filtered by status and due date through the indexes.
 */
const version4Stores: Record<number, Record<string, string>> = {
  1: {
    jobs: 'id, status, dueDate, assignedAgentId, updatedAt, *searchWords',
    jobStatusChanges: 'id, jobId, at',
    jobNotes: 'id, jobId, at',
    outbox: '++seq, &id, entity, jobId',
    rejectedMutations: 'id, jobId',
    meta: 'key',
  },
  2: { routePlans: 'id, agentId, day', tileCache: 'key, sourceKey, [pinned+lastUsedAt]', tileCacheUsage: 'sourceKey', regionPacks: 'id, addedAt' },
  3: {
    visits: 'id, jobId',
    itemReconciliations: 'id, jobId, visitId, itemId',
    photos: 'id, jobId, sha256',
    signatures: 'id, jobId',
    custodyEvents: 'id, jobId, hash',
    custodyHeads: 'itemId',
    blobs: 'sha256, state',
    deviceKeys: 'id, userId',
  },
  4: { personalProperty: 'id, jobId, itemId', personalPropertyEvents: 'id, jobId, propertyId' },
};

type Version4Job = Omit<LocalJob, 'listKey'>;

function version4Job(fields: Parameters<typeof makeJob>[0]): Version4Job {
  const job = makeJob(fields);
  // Version 4 also kept words that begin other words ("pa" of "park"); version 5 drops them.
  const covered = job.customer.name.toLowerCase().slice(0, 2);
  return { ...job, confirmedStatus: job.status, lastConfirmedAt: serverTime, searchWords: [covered, ...searchWordsForJob(job)], removedOnServer: false };
}

describe('a database written by schema version 4 opens with the current code', () => {
  it('keeps every row, the outbox in order and the cursor, and gives each job its list order', async () => {
    const name = `v4-${newId()}`;
    const old = new Dexie(name);
    for (const [version, stores] of Object.entries(version4Stores)) old.version(Number(version)).stores(stores);
    await old.open();
    const jobs = [
      version4Job({ customerName: 'Zoe Park', dueDate: '2025-03-05', priority: 'normal', status: 'en_route' }),
      version4Job({ customerName: 'Ada Vance', dueDate: '2025-03-05', priority: 'urgent', status: 'assigned' }),
      version4Job({ customerName: 'Élodie Brun', dueDate: null, priority: 'high', status: 'assigned' }),
      version4Job({ customerName: 'Bo Chen', dueDate: '2025-03-01', priority: 'low', status: 'assigned' }),
    ];
    const [first] = jobs;
    if (!first) throw new Error('no job');
    const note = { id: newId(), jobId: first.id, text: 'Dog in the yard', at: serverTime, byUserId: newId() };
    const visit = { id: newId(), jobId: first.id, arrivedAt: serverTime, departedAt: null };
    const mutations = [0, 1, 2].map((index) => ({
      id: newId(),
      entity: 'jobNote' as const,
      jobId: first.id,
      mutation: { id: newId(), deviceId: 'laptop-1', clientTime: serverTime, hlc: `000001700000000:0000${index}:laptop-1`, entity: 'jobNote' as const, op: 'create' as const, data: { ...note, id: newId(), text: `note ${index}` } },
    }));
    await old.table('jobs').bulkPut(jobs);
    await old.table('jobNotes').put(note);
    await old.table('visits').put(visit);
    for (const entry of mutations) await old.table('outbox').add(entry);
    await old.table('meta').bulkPut([
      { key: 'cursor', value: '4242' },
      { key: 'deviceId', value: 'laptop-1' },
    ]);
    old.close();

    const db = new ReclaimDatabase(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(5);
    for (const job of jobs) expect(await db.jobs.get(job.id)).toEqual({ ...job, listKey: jobListKey(job), searchWords: searchWordsForJob(job) });
    expect(await db.jobNotes.get(note.id)).toEqual(note);
    expect(await db.visits.get(visit.id)).toEqual(visit);
    const outbox: OutboxEntry[] = await db.outbox.orderBy('seq').toArray();
    expect(outbox.map((entry) => entry.id)).toEqual(mutations.map((entry) => entry.id));
    expect(await readMeta(db, 'cursor')).toBe('4242');
    // Versions 7 and 8 keep only the indexes something reads: every other one cost each pulled row
    // an entry. The words stay on the rows (the search holds them in memory), without an index.
    const stored = db.backendDB().transaction(['jobs', 'statusChangePacks', 'jobNotes']);
    const indexNames = (table: string) => [...stored.objectStore(table).indexNames].sort();
    expect(indexNames('jobs')).toEqual(['[status+listKey]', 'listKey']);
    // Version 9 packs status changes several to a record, found by the jobs they name.
    expect(indexNames('statusChangePacks')).toEqual(['jobIds']);
    expect(indexNames('jobNotes')).toEqual(['jobId']);

    // The upgraded list: soonest due first, the most pressing first on a day, undated last.
    const now = new Date(2025, 2, 4, 9);
    const repository = new JobsRepository(db, () => now);
    const names = async (filter: Parameters<JobsRepository['listJobIds']>[0]) =>
      (await repository.listJobs(filter)).map((job) => job.customer.name);
    const order = await repository.readListOrder();
    const shown = async (filter: JobListFilter) =>
      (await db.jobs.bulkGet(selectJobIds(order, filter, await repository.idsMatching(filter.search ?? '')))).map((job) => job?.customer.name);
    expect(await names({})).toEqual(['Bo Chen', 'Ada Vance', 'Zoe Park', 'Élodie Brun']);
    expect(await names({ status: 'assigned' })).toEqual(['Bo Chen', 'Ada Vance', 'Élodie Brun']);
    expect(await names({ due: 'overdue' })).toEqual(['Bo Chen']);
    expect(await names({ due: 'week', search: 'park' })).toEqual(['Zoe Park']);
    expect(await names({ search: 'elo br' })).toEqual(['Élodie Brun']);
    // And the list on screen, from the order held in memory.
    expect(await shown({})).toEqual(['Bo Chen', 'Ada Vance', 'Zoe Park', 'Élodie Brun']);
    expect(await shown({ status: 'assigned', due: 'overdue' })).toEqual(['Bo Chen']);
    expect(await shown({ due: 'week', search: 'park' })).toEqual(['Zoe Park']);
    db.close();
  });
});
