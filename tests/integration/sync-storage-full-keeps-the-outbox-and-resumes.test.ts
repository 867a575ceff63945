import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse } from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { stampMutation } from '../../renderer/db/device';
import { readMeta } from '../../renderer/db/meta';
import { enqueueMutation } from '../../renderer/db/outbox';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { SyncError } from '../../renderer/sync/sync-error';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Storage quota exhausted on the laptop: every write IndexedDB would refuse fails with the
 * browser's QuotaExceededError, injected at Dexie's lowest layer (DBCore) so the app's own
 * transactions see exactly what Chromium gives them. Deletes still work (they free space).
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

function diskThatFills(db: ReclaimDatabase): { full: boolean } {
  const disk = { full: false };
  db.use({
    stack: 'dbcore',
    name: 'quota-exceeded',
    create: (down: DBCore): DBCore => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request: DBCoreMutateRequest): Promise<DBCoreMutateResponse> =>
            disk.full && request.type !== 'delete' && request.type !== 'deleteRange'
              ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
              : table.mutate(request),
        };
      },
    }),
  });
  return disk;
}

describe('storage full on the laptop', () => {
  it('gives a clear error, keeps the outbox, and sync resumes once space is freed', async () => {
    let disk = { full: false };
    const agent = await env.laptop('agent1', {
      prepareDb: (db) => {
        disk = diskThatFills(db);
      },
    });
    await agent.engine.syncOnce();
    const job = await firstJob(agent, 'all');
    const kept = await agent.jobs.addJobNote(job.id, 'written before the disk filled up');
    const cursor = await readMeta(agent.db, 'cursor');

    disk.full = true;
    // A new local write is refused whole: no note without its outbox entry, nothing else touched.
    await expect(agent.jobs.addJobNote(job.id, 'no room for this')).rejects.toThrow();
    expect(await agent.db.outbox.count()).toBe(1);
    expect((await agent.db.jobNotes.where('jobId').equals(job.id).toArray()).some((note) => note.text === 'no room for this')).toBe(false);

    // Someone else's change waits on the server; pulling it needs space the laptop lacks.
    const other = await env.laptop('dispatcher1');
    await other.engine.syncOnce();
    await other.jobs.addJobNote(job.id, 'from the office while the laptop is full');
    await other.engine.syncOnce();

    const error = await agent.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).kind).toBe('quota');
    expect((error as SyncError).inWords).toMatch(/storage space.*Free up disk space/);
    expect((error as SyncError).retryable).toBe(true);
    // The push needed no space (entries leave the outbox); the pull stored nothing, cursor unmoved.
    expect((await env.detail(job.id)).notes.filter((note) => note.id === kept.id)).toHaveLength(1);
    expect(await readMeta(agent.db, 'cursor')).toBe(cursor);

    disk.full = false;
    await agent.engine.syncOnce();
    const local = await agent.jobs.getJobDetail(job.id);
    expect(local?.notes.map((note) => note.text)).toEqual(expect.arrayContaining(['written before the disk filled up', 'from the office while the laptop is full']));
    await agent.jobs.addJobNote(job.id, 'room again');
    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
  });

  it('keeps a refused change in the outbox until its refusal can be recorded', async () => {
    let disk = { full: false };
    const agent = await env.laptop('agent1', {
      prepareDb: (db) => {
        disk = diskThatFills(db);
      },
    });
    await agent.engine.syncOnce();
    // A change the server refuses for good (its job does not exist there).
    const stamp = await stampMutation(agent.db);
    const note = { id: newId(), jobId: newId(), text: 'on a job the server never had', at: stamp.clientTime, byUserId: agent.login.user.id };
    await enqueueMutation(agent.db, { ...stamp, id: newId(), entity: 'jobNote', op: 'create', data: note });

    disk.full = true;
    // Recording the refusal needs space: the settle transaction fails whole and the entry stays.
    const error = await agent.engine.syncOnce().then(
      () => null,
      (failure: unknown) => failure,
    );
    expect((error as SyncError).kind).toBe('quota');
    expect(await agent.db.outbox.count()).toBe(1);
    expect(await agent.db.rejectedMutations.count()).toBe(0);

    disk.full = false;
    await agent.engine.syncOnce();
    expect(await agent.db.outbox.count()).toBe(0);
    const [refused] = await agent.db.rejectedMutations.toArray();
    expect(refused?.code).toBe('not_found');
    expect(refused?.reason).toMatch(/no longer exists/);
  });
});
