import type { DBCore } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { purgeReleasedJobs, settlePushResults } from '../../renderer/db/outbox';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { freshDatabase, jobPage, makeJob, seedJobs, serverTime, signInAs } from './renderer-test-fixtures';

/**
 * After every push and every pull the engine forgets the jobs the server took away whose changes
 * have all gone through. It used to find them by reading every job on the laptop: at 10,000 jobs
 * up to a second, twice a round, every 20 seconds, with the job list waiting behind it. It must
 * read only the jobs taken away (listed in releasedJobs), never scan the jobs table.
 */
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

/** Counts the reads of the jobs table that walk it (queries, cursors, counts) rather than get rows by id. */
function countJobScans(target: ReclaimDatabase): { scans: number } {
  const counter = { scans: 0 };
  target.use({
    stack: 'dbcore',
    name: 'count-job-scans',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'jobs') return table;
        return {
          ...table,
          query: (request) => {
            counter.scans += 1;
            return table.query(request);
          },
          openCursor: (request) => {
            counter.scans += 1;
            return table.openCursor(request);
          },
          count: (request) => {
            counter.scans += 1;
            return table.count(request);
          },
        };
      },
    }),
  });
  return counter;
}

describe('the purge after each round', () => {
  it('forgets a job taken away once its changes are through, reading no other job', async () => {
    db = freshDatabase();
    const counter = countJobScans(db);
    await signInAs(db);
    const jobs = Array.from({ length: 50 }, (_, index) => makeJob({ customerName: `Customer ${index}` }));
    await seedJobs(db, jobs);
    const [worked, idle] = jobs;
    if (!worked || !idle) throw new Error('no jobs');
    await new JobsRepository(db).addJobNote(worked.id, 'Back on Friday');
    await applyPullPage(db, { changes: [{ seq: '900', entity: 'jobRemoval', op: 'remove', id: worked.id }], cursor: '900', hasMore: false, serverTime });
    expect((await db.jobs.get(worked.id))?.removedOnServer).toBe(true);

    counter.scans = 0;
    expect(await purgeReleasedJobs(db)).toBe(0);
    expect(await db.jobs.get(worked.id)).toBeDefined();

    const sent = await db.outbox.toArray();
    await settlePushResults(db, sent, sent.map((entry) => ({ id: entry.id, outcome: 'applied' as const, reason: null, code: null })));
    expect(await purgeReleasedJobs(db)).toBe(1);
    expect(await db.jobs.get(worked.id)).toBeUndefined();
    expect(await db.jobNotes.where('jobId').equals(worked.id).count()).toBe(0);
    expect(await db.jobs.get(idle.id)).toBeDefined();
    expect(counter.scans).toBe(0);
    expect(await db.releasedJobs.count()).toBe(0);
  });

  it('keeps a job taken away and then given back, and unlists it', async () => {
    db = freshDatabase();
    await signInAs(db);
    const job = makeJob();
    await seedJobs(db, [job]);
    await new JobsRepository(db).addJobNote(job.id, 'Back on Friday');
    await applyPullPage(db, { changes: [{ seq: '901', entity: 'jobRemoval', op: 'remove', id: job.id }], cursor: '901', hasMore: false, serverTime });
    await applyPullPage(db, jobPage([{ ...job, version: 2 }]));
    const sent = await db.outbox.toArray();
    await settlePushResults(db, sent, sent.map((entry) => ({ id: entry.id, outcome: 'applied' as const, reason: null, code: null })));

    expect(await purgeReleasedJobs(db)).toBe(0);
    expect((await db.jobs.get(job.id))?.removedOnServer).toBe(false);
    expect(await db.releasedJobs.count()).toBe(0);
  });
});
