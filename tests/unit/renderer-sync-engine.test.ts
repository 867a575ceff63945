import { afterEach, describe, expect, it } from 'vitest';
import type { Mutation, MutationResult, PushResponse } from '../../shared/sync/protocol';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { readMeta } from '../../renderer/db/meta';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import type { SyncApi } from '../../renderer/sync/api-client';
import { SyncEngine } from '../../renderer/sync/engine';
import { SyncError } from '../../renderer/sync/sync-error';
import { freshDatabase, jobPage, makeJob, seedJobs, serverTime, signInAs } from './renderer-test-fixtures';

let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

/** These pages carry no checkpoint, so the custody log watch never asks; tests/unit/renderer-custody-log-watch-* covers it. */
const noCustodyLog: Pick<SyncApi, 'orgKeyHistory' | 'custodyLogConsistency'> = {
  orgKeyHistory: () => Promise.reject(new Error('not asked')),
  custodyLogConsistency: () => Promise.reject(new Error('not asked')),
};

/** A scripted server: answers pushes with `answer` and serves `pages` in turn. */
function scriptedApi(answer: (mutation: Mutation) => Omit<MutationResult, 'id'>, pages: unknown[] = []) {
  const pushed: Mutation[][] = [];
  const pulledCursors: string[] = [];
  const api: SyncApi = {
    async push({ mutations }): Promise<PushResponse> {
      pushed.push([...mutations]);
      return { results: mutations.map((mutation) => ({ id: mutation.id, ...answer(mutation) })), serverTime };
    },
    async pull(cursor) {
      pulledCursors.push(cursor);
      return pages.shift() ?? { changes: [], cursor, hasMore: false, serverTime };
    },
    ...noCustodyLog,
  };
  return { api, pushed, pulledCursors };
}

const applied = { outcome: 'applied', reason: null, code: null } as const;

async function agentWithWork() {
  db = freshDatabase();
  await signInAs(db, 'agent');
  const job = makeJob({ status: 'assigned' });
  await seedJobs(db, [job]);
  const repo = new JobsRepository(db);
  await repo.changeJobStatus(job.id, 'en_route');
  await repo.addJobNote(job.id, 'Dog in the yard');
  await repo.changeJobStatus(job.id, 'on_site');
  return job;
}

describe('the sync engine never loses a mutation', () => {
  it('pushes the outbox in order, in batches, and empties it once the server has everything', async () => {
    await agentWithWork();
    const { api, pushed } = scriptedApi(() => applied);

    await new SyncEngine({ db, api, pushBatchSize: 2 }).syncOnce();

    expect(pushed.map((batch) => batch.length)).toEqual([2, 1]);
    expect(pushed.flat().map((mutation) => mutation.entity)).toEqual(['jobStatusChange', 'jobNote', 'jobStatusChange']);
    expect(await db.outbox.count()).toBe(0);
    expect(await readMeta(db, 'lastSyncAt')).not.toBeNull();
  });

  it('treats a duplicate as delivered', async () => {
    await agentWithWork();
    const { api } = scriptedApi(() => ({ outcome: 'duplicate', reason: null, code: null }));
    await new SyncEngine({ db, api }).syncOnce();
    expect(await db.outbox.count()).toBe(0);
  });

  it('moves a refused change to rejectedMutations with its reason and undoes it locally', async () => {
    const job = await agentWithWork();
    const { api } = scriptedApi((mutation) =>
      mutation.entity === 'jobStatusChange' && mutation.data.to === 'on_site'
        ? { outcome: 'rejected', reason: 'The job was cancelled by the office.', code: 'transition' }
        : applied,
    );

    await new SyncEngine({ db, api }).syncOnce();

    expect(await db.outbox.count()).toBe(0);
    const rejected = await db.rejectedMutations.toArray();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBe('The job was cancelled by the office.');
    expect((await db.jobs.get(job.id))?.status).toBe('assigned');
  });

  it('keeps a clock-drift refusal in the outbox and reports it as an error', async () => {
    await agentWithWork();
    const { api } = scriptedApi(() => ({ outcome: 'rejected', reason: 'Clock is 9 minutes ahead.', code: 'clock_drift' }));

    const failure = new SyncEngine({ db, api }).syncOnce();

    await expect(failure).rejects.toSatisfy((error: unknown) => error instanceof SyncError && error.kind === 'clock_drift');
    expect(await db.outbox.count()).toBe(3);
    expect(await db.rejectedMutations.count()).toBe(0);
  });

  it('keeps the whole outbox when the server cannot be reached', async () => {
    await agentWithWork();
    const api: SyncApi = {
      push: () => Promise.reject(new SyncError('offline', "Can't reach the sync server.", 'Try later.')),
      pull: () => Promise.reject(new Error('not reached')),
      ...noCustodyLog,
    };
    await expect(new SyncEngine({ db, api }).syncOnce()).rejects.toSatisfy(
      (error: unknown) => error instanceof SyncError && error.kind === 'offline',
    );
    expect(await db.outbox.count()).toBe(3);
  });

  it('pulls pages until the server has no more, continuing from the stored cursor', async () => {
    db = freshDatabase();
    await signInAs(db);
    const first = makeJob();
    const second = makeJob();
    const { api, pulledCursors } = scriptedApi(() => applied, [
      jobPage([first], { cursor: '10', hasMore: true }),
      jobPage([second], { cursor: '20', hasMore: false }),
    ]);

    const report = await new SyncEngine({ db, api }).syncOnce();

    expect(pulledCursors).toEqual(['0', '10']);
    expect(report.pulled).toBe(2);
    expect(await db.jobs.count()).toBe(2);
    expect(await readMeta(db, 'cursor')).toBe('20');
  });

  it('stops at an invalid page without moving the cursor past it', async () => {
    db = freshDatabase();
    await signInAs(db);
    const { api } = scriptedApi(() => applied, [
      jobPage([makeJob()], { cursor: '10', hasMore: true }),
      { changes: 'garbage', cursor: '20', hasMore: false, serverTime },
    ]);

    await expect(new SyncEngine({ db, api }).syncOnce()).rejects.toSatisfy(
      (error: unknown) => error instanceof SyncError && error.kind === 'invalid_response',
    );
    expect(await readMeta(db, 'cursor')).toBe('10');
    expect(await db.jobs.count()).toBe(1);
  });
});
