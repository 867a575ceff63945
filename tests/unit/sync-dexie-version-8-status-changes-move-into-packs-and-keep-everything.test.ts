import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { JobStatusChange } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { jobListKey } from '../../renderer/db/job-list-key';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { readMeta } from '../../renderer/db/meta';
import { purgeReleasedJobs, settlePushResults } from '../../renderer/db/outbox';
import { ReclaimDatabase, type LocalJob, type OutboxEntry } from '../../renderer/db/schema';
import { searchWordsForJob } from '../../renderer/db/search-words';
import { allStatusChanges, statusChangesOf } from '../../renderer/db/status-change-packs';
import { makeJob, serverTime } from './renderer-test-fixtures';

/**
 * An agent updates the app from schema version 8 (a row per status change) to version 9 (status
 * changes packed several to a record; the jobs the server took away listed on their own) with a
 * day's work on the laptop: thousands of status changes, some made here and not yet pushed, and a
 * job the server took away while its changes still wait. Every change must read as before, the
 * outbox must keep its order, and the waiting job must still go once its changes are through.
 */
const version8Stores = {
  jobs: 'id, listKey, [status+listKey]',
  jobStatusChanges: 'id, jobId',
  jobNotes: 'id, jobId',
  outbox: '++seq, &id, entity, jobId',
  rejectedMutations: 'id, jobId',
  meta: 'key',
  routePlans: 'id, agentId, day',
  tileCache: 'key, sourceKey, [pinned+lastUsedAt]',
  tileCacheUsage: 'sourceKey',
  regionPacks: 'id, addedAt',
  visits: 'id, jobId',
  itemReconciliations: 'id, jobId, visitId, itemId',
  photos: 'id, jobId, sha256',
  signatures: 'id, jobId',
  custodyEvents: 'id, jobId, hash',
  custodyHeads: 'itemId',
  blobs: 'sha256, state',
  deviceKeys: 'id, userId',
  personalProperty: 'id, jobId, itemId',
  personalPropertyEvents: 'id, jobId, propertyId',
  customerReceipts: 'id, jobId, visitId',
};

function version8Job(fields: Parameters<typeof makeJob>[0], removedOnServer = false): LocalJob {
  const job = makeJob(fields);
  return { ...job, confirmedStatus: job.status, lastConfirmedAt: serverTime, searchWords: searchWordsForJob(job), removedOnServer, listKey: jobListKey(job) };
}

describe('a database written by schema version 8 opens with the current code', () => {
  it('moves every status change into packs, keeps the outbox in order, and still lets a job taken away go', async () => {
    const name = `v8-${newId()}`;
    const old = new Dexie(name);
    old.version(8).stores(version8Stores);
    await old.open();
    const agentId = newId();
    const jobs = Array.from({ length: 1200 }, (_, index) => version8Job({ customerName: `Customer ${index}`, status: 'assigned' }));
    const taken = version8Job({ customerName: 'Ada Vance', status: 'en_route' }, true);
    const changes: JobStatusChange[] = [...jobs, taken].flatMap((job, index) =>
      Array.from({ length: 1 + (index % 3) }, (__, step) => ({ id: newId(), jobId: job.id, from: 'assigned' as const, to: step === 0 ? ('assigned' as const) : ('en_route' as const), at: serverTime, byUserId: agentId, reason: step === 2 ? 'gate locked' : null })),
    );
    // Made on this laptop and not pushed yet: on the job the server took away, and on another.
    const mine = [taken, jobs[7]].map((job) => ({ id: newId(), jobId: job?.id ?? '', from: 'assigned' as const, to: 'en_route' as const, at: serverTime, byUserId: agentId, reason: null }));
    const outbox = mine.map((change, index) => ({
      id: newId(),
      entity: 'jobStatusChange' as const,
      jobId: change.jobId,
      mutation: { id: newId(), deviceId: 'laptop-1', clientTime: serverTime, hlc: `000001700000000:0000${index}:laptop-1`, entity: 'jobStatusChange' as const, op: 'create' as const, data: change },
    }));
    await old.table('jobs').bulkPut([...jobs, taken]);
    await old.table('jobStatusChanges').bulkPut([...changes, ...mine]);
    for (const entry of outbox) await old.table('outbox').add(entry);
    await old.table('meta').bulkPut([
      { key: 'cursor', value: '8088' },
      { key: 'deviceId', value: 'laptop-1' },
    ]);
    old.close();

    const db = new ReclaimDatabase(name);
    await db.open();
    expect(db.verno).toBe(9);
    expect(db.backendDB().objectStoreNames.contains('jobStatusChanges')).toBe(false);
    const byId = (a: JobStatusChange, b: JobStatusChange) => (a.id < b.id ? -1 : 1);
    expect(await allStatusChanges(db)).toEqual([...changes, ...mine].sort(byId));
    for (const job of [...jobs, taken]) {
      expect(await statusChangesOf(db, job.id)).toEqual([...changes, ...mine].filter((change) => change.jobId === job.id).sort(byId));
    }
    // Packed a page's worth to a record, not one each.
    expect(await db.statusChangePacks.count()).toBeLessThanOrEqual(Math.ceil((changes.length + mine.length) / 1000));
    const detail = await new JobsRepository(db).getJobDetail(taken.id);
    expect(detail?.statusChanges.map((change) => change.id).sort()).toEqual([...changes, ...mine].filter((change) => change.jobId === taken.id).map((change) => change.id).sort());
    expect(detail?.pendingRecordIds).toEqual(new Set([mine[0]?.id]));
    const kept: OutboxEntry[] = await db.outbox.orderBy('seq').toArray();
    expect(kept.map((entry) => entry.id)).toEqual(outbox.map((entry) => entry.id));
    expect(await readMeta(db, 'cursor')).toBe('8088');
    expect(await db.releasedJobs.toArray()).toEqual([{ jobId: taken.id }]);

    // The job taken away stays while its change waits, and goes once the server has it.
    expect(await purgeReleasedJobs(db)).toBe(0);
    await settlePushResults(db, kept, kept.map((entry) => ({ id: entry.id, outcome: 'applied' as const, reason: null, code: null })));
    expect(await purgeReleasedJobs(db)).toBe(1);
    expect(await db.jobs.get(taken.id)).toBeUndefined();
    expect(await statusChangesOf(db, taken.id)).toEqual([]);
    expect(await db.releasedJobs.count()).toBe(0);
    expect(await statusChangesOf(db, jobs[7]?.id ?? '')).toEqual([...changes, ...mine].filter((change) => change.jobId === jobs[7]?.id).sort(byId));
    db.close();
  }, 60_000);
});
