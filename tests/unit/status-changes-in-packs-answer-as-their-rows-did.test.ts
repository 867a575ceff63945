import { afterEach, describe, expect, it } from 'vitest';
import type { JobStatusChange } from '../../shared/domain/job';
import type { JobStatus } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import type { Change } from '../../shared/sync/protocol';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { purgeReleasedJobs, settlePushResults } from '../../renderer/db/outbox';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { allStatusChanges, statusChangesOf } from '../../renderer/db/status-change-packs';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { freshDatabase, makeJob, serverTime, signInAs } from './renderer-test-fixtures';

/**
 * Status changes are stored packed, several to a record (schema version 9), where they were one
 * row each. Whatever sync and the agent do, each job's history must read exactly as the rows
 * would have held it: a model keeps the rows (a map by id, as the old table did: a put replaces,
 * a delete removes) and every job's history is compared with it after each step.
 */
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

/** A small deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('status changes in packs', () => {
  it('give each job the history its rows would have given, through pulls, local changes, refusals and removals', async () => {
    db = freshDatabase();
    await signInAs(db, 'agent');
    const repository = new JobsRepository(db);
    const next = random(15);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const jobs = Array.from({ length: 8 }, () => makeJob({ status: 'assigned' }));
    const rows = new Map<string, JobStatusChange>();
    /** Jobs on the laptop (the model forgets a removed job's history with it). */
    const held = new Set<string>();
    let seq = 0;
    let cursor = 0;

    const page = async (changes: Change[]) => {
      cursor += 1;
      await applyPullPage(db, { changes, cursor: String(cursor), hasMore: false, serverTime });
    };
    const serverChange = (jobId: string, to: JobStatus): JobStatusChange => ({ id: newId(), jobId, from: 'assigned', to, at: serverTime, byUserId: newId(), reason: null });
    const check = async () => {
      for (const job of jobs) {
        const expected = [...rows.values()].filter((row) => row.jobId === job.id).sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(await statusChangesOf(db, job.id)).toEqual(expected);
        const detail = await repository.getJobDetail(job.id);
        if (detail) expect(detail.statusChanges).toEqual(expected);
      }
      expect(await allStatusChanges(db)).toEqual([...rows.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));
    };

    // The first sync: every job, and one or two changes each, some before their job on the page.
    const first: Change[] = [];
    for (const job of jobs) {
      const changes = [serverChange(job.id, 'assigned'), ...(next() < 0.5 ? [serverChange(job.id, 'en_route')] : [])];
      for (const change of changes) first.push({ seq: String(++seq), entity: 'jobStatusChange', op: 'upsert', data: change });
      first.push({ seq: String(++seq), entity: 'job', op: 'upsert', data: job });
      for (const change of changes) rows.set(change.id, change);
      held.add(job.id);
    }
    await page(first);
    await check();

    for (let step = 0; step < 60; step += 1) {
      const job = pick(jobs);
      const roll = next();
      if (roll < 0.3 && held.has(job.id)) {
        // The agent moves a job on (when the state machine lets them), offline.
        const current = (await db.jobs.get(job.id))?.status;
        const to: JobStatus | null = current === 'assigned' ? 'en_route' : current === 'en_route' ? 'on_site' : null;
        if (to && !(await db.jobs.get(job.id))?.removedOnServer) {
          const change = await repository.changeJobStatus(job.id, to);
          rows.set(change.id, change);
        }
      } else if (roll < 0.45) {
        // A push answers: each waiting change applied (and later pulled back) or refused.
        const sent = await db.outbox.orderBy('seq').toArray();
        if (sent.length === 0) continue;
        const refused = new Set(sent.filter(() => next() < 0.4).map((entry) => entry.id));
        await settlePushResults(
          db,
          sent,
          sent.map((entry) => ({ id: entry.id, outcome: refused.has(entry.id) ? ('rejected' as const) : ('applied' as const), reason: refused.has(entry.id) ? 'no' : null, code: refused.has(entry.id) ? ('transition' as const) : null })),
        );
        for (const entry of sent) if (refused.has(entry.id) && entry.mutation.entity === 'jobStatusChange') rows.delete(entry.mutation.data.id);
        await purgeReleasedJobs(db);
        for (const heldJob of jobs) {
          if (held.has(heldJob.id) && !(await db.jobs.get(heldJob.id))) {
            held.delete(heldJob.id);
            for (const [id, row] of rows) if (row.jobId === heldJob.id) rows.delete(id);
          }
        }
        // What was applied comes back on the next page, the same change again.
        const back = sent.filter((entry) => !refused.has(entry.id) && entry.mutation.entity === 'jobStatusChange');
        await page(back.flatMap((entry) => (entry.mutation.entity === 'jobStatusChange' && held.has(entry.jobId) ? [{ seq: String(++seq), entity: 'jobStatusChange' as const, op: 'upsert' as const, data: entry.mutation.data }] : [])));
      } else if (roll < 0.6 && held.has(job.id)) {
        // The office changes the job: a new change, and an old one sent again with a new reason
        // (an upsert replaces what is held, as a put over its row did).
        const change = serverChange(job.id, 'attempted');
        const old = pick([...rows.values()].filter((row) => row.jobId === job.id));
        const changes: Change[] = [{ seq: String(++seq), entity: 'jobStatusChange', op: 'upsert', data: change }];
        rows.set(change.id, change);
        if (old) {
          const again = { ...old, reason: `sent again ${step}` };
          changes.push({ seq: String(++seq), entity: 'jobStatusChange', op: 'upsert', data: again });
          rows.set(again.id, again);
        }
        await page(changes);
      } else if (roll < 0.75 && held.has(job.id)) {
        // The job leaves this agent's view: gone with its history, unless changes still wait.
        const waiting = (await db.outbox.where('jobId').equals(job.id).count()) > 0;
        await page([{ seq: String(++seq), entity: 'jobRemoval', op: 'remove', id: job.id }]);
        if (!waiting) {
          held.delete(job.id);
          for (const [id, row] of rows) if (row.jobId === job.id) rows.delete(id);
        }
      } else if (roll < 0.9) {
        // The job is given back (or sent again): with a change, on one page.
        const change = serverChange(job.id, 'assigned');
        await page([
          { seq: String(++seq), entity: 'job', op: 'upsert', data: { ...job, version: step + 2 } },
          { seq: String(++seq), entity: 'jobStatusChange', op: 'upsert', data: change },
        ]);
        rows.set(change.id, change);
        held.add(job.id);
      }
      await check();
    }
  }, 60_000);
});
