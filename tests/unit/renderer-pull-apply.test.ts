import { afterEach, describe, expect, it } from 'vitest';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { readMeta } from '../../renderer/db/meta';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { SyncError } from '../../renderer/sync/sync-error';
import { freshDatabase, jobPage, makeJob, seedJobs, serverTime, signInAs } from './renderer-test-fixtures';

let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

describe('applying a pulled page', () => {
  it('stores the rows and advances the cursor together, stamping lastConfirmedAt', async () => {
    db = freshDatabase();
    const job = makeJob();
    const page = jobPage([job], { cursor: '42' });

    await applyPullPage(db, page);

    const stored = await db.jobs.get(job.id);
    expect(stored?.customer.name).toBe(job.customer.name);
    expect(stored?.lastConfirmedAt).toBe(serverTime);
    expect(stored?.searchWords).toContain('gonzalez');
    expect(await readMeta(db, 'cursor')).toBe('42');
  });

  it('leaves the database and the cursor untouched when a page fails validation', async () => {
    db = freshDatabase();
    await applyPullPage(db, jobPage([makeJob()], { cursor: '7' }));
    const before = await db.jobs.toArray();

    const broken = jobPage([makeJob(), makeJob()], { cursor: '9' });
    const bad = { ...broken, changes: [broken.changes[0], { ...broken.changes[1], data: { id: 'not-a-job' } }] };

    await expect(applyPullPage(db, bad)).rejects.toSatisfy(
      (error: unknown) => error instanceof SyncError && error.kind === 'invalid_response',
    );
    expect(await db.jobs.toArray()).toEqual(before);
    expect(await readMeta(db, 'cursor')).toBe('7');
  });

  it('keeps a locally pending status over the server snapshot until it is pushed', async () => {
    db = freshDatabase();
    await signInAs(db);
    const job = makeJob({ status: 'assigned' });
    await seedJobs(db, [job]);
    await new JobsRepository(db).changeJobStatus(job.id, 'en_route');

    // The office edits the job meanwhile; its snapshot still says assigned.
    await applyPullPage(db, jobPage([{ ...job, instructions: 'Ring twice', version: 2 }]));

    const stored = await db.jobs.get(job.id);
    expect(stored?.status).toBe('en_route');
    expect(stored?.confirmedStatus).toBe('assigned');
    expect(stored?.instructions).toBe('Ring twice');
  });

  it('removes a job and its history, but keeps one with changes still waiting', async () => {
    db = freshDatabase();
    await signInAs(db);
    const idle = makeJob();
    const worked = makeJob({ status: 'assigned' });
    await seedJobs(db, [idle, worked]);
    await new JobsRepository(db).addJobNote(worked.id, 'Customer asked us to come back Friday');

    await applyPullPage(db, {
      changes: [
        { seq: '900', entity: 'jobRemoval', op: 'remove', id: idle.id },
        { seq: '901', entity: 'jobRemoval', op: 'remove', id: worked.id },
      ],
      cursor: '901',
      hasMore: false,
      serverTime,
    });

    expect(await db.jobs.get(idle.id)).toBeUndefined();
    expect((await db.jobs.get(worked.id))?.removedOnServer).toBe(true);
    expect(await db.jobNotes.where('jobId').equals(worked.id).count()).toBe(1);
  });
});
