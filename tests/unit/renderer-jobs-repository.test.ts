import { afterEach, describe, expect, it } from 'vitest';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { InvalidNoteError, TransitionNotAllowedError } from '../../renderer/db/repository-errors';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { allStatusChanges, statusChangesOf } from '../../renderer/db/status-change-packs';
import { freshDatabase, makeJob, seedJobs, signInAs } from './renderer-test-fixtures';

let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

describe('a local write and its outbox mutation commit together', () => {
  it('records a status change as a row, the new status and one outbox mutation', async () => {
    db = freshDatabase();
    const userId = await signInAs(db, 'agent');
    const job = makeJob({ status: 'assigned' });
    await seedJobs(db, [job]);
    const repo = new JobsRepository(db);

    const change = await repo.changeJobStatus(job.id, 'en_route');

    expect(change).toMatchObject({ jobId: job.id, from: 'assigned', to: 'en_route', byUserId: userId });
    expect((await db.jobs.get(job.id))?.status).toBe('en_route');
    expect((await db.jobs.get(job.id))?.confirmedStatus).toBe('assigned');
    expect(await statusChangesOf(db, job.id)).toEqual([change]);
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.mutation).toMatchObject({ entity: 'jobStatusChange', op: 'create', data: change });
    expect(outbox[0]?.mutation.deviceId).toBeTruthy();
  });

  it('writes nothing at all when the state machine refuses the transition', async () => {
    db = freshDatabase();
    await signInAs(db, 'agent');
    const job = makeJob({ status: 'assigned' });
    await seedJobs(db, [job]);
    const repo = new JobsRepository(db);
    const hlcBefore = await db.meta.get('hlc');

    // Closing a job belongs to the office, never to the field.
    await expect(repo.changeJobStatus(job.id, 'closed')).rejects.toBeInstanceOf(TransitionNotAllowedError);

    expect((await db.jobs.get(job.id))?.status).toBe('assigned');
    expect(await allStatusChanges(db)).toEqual([]);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.meta.get('hlc')).toEqual(hlcBefore);
  });

  it('refuses an empty note without writing a row or a mutation', async () => {
    db = freshDatabase();
    await signInAs(db);
    const job = makeJob();
    await seedJobs(db, [job]);
    const repo = new JobsRepository(db);

    await expect(repo.addJobNote(job.id, '   ')).rejects.toBeInstanceOf(InvalidNoteError);
    expect(await db.jobNotes.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('stamps successive mutations with increasing clock values, in outbox order', async () => {
    db = freshDatabase();
    await signInAs(db);
    const job = makeJob({ status: 'assigned' });
    await seedJobs(db, [job]);
    // A wall clock stuck on one millisecond: only the logical counter can keep the order.
    const repo = new JobsRepository(db, () => new Date('2025-03-04T15:00:00.000Z'));

    await repo.changeJobStatus(job.id, 'en_route');
    await repo.addJobNote(job.id, 'Gate code 4412');
    await repo.changeJobStatus(job.id, 'on_site');

    const hlcs = (await db.outbox.orderBy('seq').toArray()).map((entry) => entry.mutation.hlc);
    expect(hlcs).toHaveLength(3);
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(3);
  });

  it('lets the office make only office transitions', async () => {
    db = freshDatabase();
    await signInAs(db, 'dispatcher');
    const job = makeJob({ status: 'assigned' });
    await seedJobs(db, [job]);
    const repo = new JobsRepository(db);

    await expect(repo.changeJobStatus(job.id, 'en_route')).rejects.toBeInstanceOf(TransitionNotAllowedError);
    await repo.changeJobStatus(job.id, 'on_hold');
    expect((await db.jobs.get(job.id))?.status).toBe('on_hold');
  });
});

describe('job search goes through the searchWords index', () => {
  async function seeded() {
    db = freshDatabase();
    await signInAs(db);
    const gonzalez = makeJob({ customerName: 'Maria Gonzalez', serial: 'ARS-5521-XK', line1: '2150 N Milwaukee Ave' });
    const okafor = makeJob({ customerName: 'Daniel Okafor', serial: 'TCH-88120', line1: '4400 S Cottage Grove Ave', status: 'attempted' });
    await seedJobs(db, [gonzalez, okafor]);
    return { repo: new JobsRepository(db, () => new Date(2025, 2, 4, 9)), gonzalez, okafor };
  }

  it('finds a job by a serial, typed with or without dashes', async () => {
    const { repo, okafor } = await seeded();
    expect((await repo.listJobs({ search: 'TCH-88120' })).map((job) => job.id)).toEqual([okafor.id]);
    expect((await repo.listJobs({ search: 'tch8812' })).map((job) => job.id)).toEqual([okafor.id]);
  });

  it('finds a job by the start of the customer name and by address words', async () => {
    const { repo, gonzalez, okafor } = await seeded();
    expect((await repo.listJobs({ search: 'gonz' })).map((job) => job.id)).toEqual([gonzalez.id]);
    expect((await repo.listJobs({ search: 'cottage grove' })).map((job) => job.id)).toEqual([okafor.id]);
    expect(await repo.listJobs({ search: 'milwaukee cottage' })).toEqual([]);
  });

  it('filters by status and by due date', async () => {
    const { repo, okafor } = await seeded();
    expect((await repo.listJobs({ status: 'attempted' })).map((job) => job.id)).toEqual([okafor.id]);
    // Both are due 2025-03-05; "today" is 2025-03-04 for this repository.
    expect(await repo.listJobs({ due: 'today' })).toHaveLength(0);
    expect(await repo.listJobs({ due: 'week' })).toHaveLength(2);
    expect(await repo.listJobs({ due: 'overdue' })).toHaveLength(0);
  });
});
