import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { BulkResult } from '../../shared/dispatch/dispatch-api';
import { canTransition, actorForRole, type JobStatus } from '../../shared/domain/job-status';
import { SyncError } from '../../renderer/sync/sync-error';
import { recordDoorWork } from './fault-proxy/door-work';
import { startFaultProxy, type FaultProxy, type FaultRates } from './fault-proxy/fault-proxy';
import { fieldLaptop, seededRandom, signIn, type FieldLaptop } from './fault-proxy/field-laptop';
import { startKillableServer, type KillableServer } from './fault-proxy/killable-server';
import { expectConverged, serverGet, serverState, type Written } from './fault-proxy/sync-model';
import { readStoredRecords } from './fault-proxy/stored-records';
import { testStore } from './helpers/test-database';

/**
 * The seeded, model-based sync fuzzer. Several laptops (two of the same agent, so their jobs
 * overlap, another agent, and a dispatcher) work offline on shared jobs: notes, status changes,
 * photos (three pictures shared by all, so one blob is named by many records), and door work —
 * visits, item reconciliations and signed custody events. Meanwhile the office moves jobs between
 * agents, a real proxy drops, cuts, duplicates and delays the laptops' requests, and the server
 * process is killed and restarted. Once the faults stop and everyone syncs, the model says:
 *   - every outbox is empty and every change was applied exactly once, or refused with a reason;
 *   - nothing appears on the server that no laptop wrote;
 *   - work that reached the server after its job was moved is kept, and the job is flagged;
 *   - every custody record on the server verifies;
 *   - every laptop holds exactly what the server holds for the jobs it can see.
 * Replay a failure with RECLAIM_SYNC_FUZZ_SEED=<the printed seed>.
 */
// PostgreSQL runs one seed: the SQLite project has already run the rest against the same code.
const runs = Number(process.env.RECLAIM_SYNC_FUZZ_RUNS ?? (testStore === 'postgres' ? 1 : 3));
const stepsPerRun = Number(process.env.RECLAIM_SYNC_FUZZ_STEPS ?? 80);
const baseSeed = Number(process.env.RECLAIM_SYNC_FUZZ_SEED ?? 20261123);
const killsPerRun = 2;
export const fuzzRates: FaultRates = {
  'drop-request': 0.06,
  'cut-request': 0.04,
  'drop-response': 0.08,
  'cut-response': 0.05,
  duplicate: 0.08,
  delay: 0.15,
};
const laptopPlan = [
  { name: 'agent1-laptop-a', username: 'agent1' },
  { name: 'agent1-laptop-b', username: 'agent1' },
  { name: 'agent2-laptop', username: 'agent2' },
  { name: 'dispatcher-desk', username: 'dispatcher1' },
] as const;
/** The office moves jobs between these; agent3 has no laptop here, so a job moved to them leaves every agent's. */
const movableTo = ['agent1', 'agent2', 'agent3'] as const;
/** Statuses that take a job off agents' laptops by status; the laptops never set them. */
const leavesView: ReadonlySet<JobStatus> = new Set(['unassigned', 'cancelled', 'closed']);

interface RunStats {
  seed: number;
  written: number;
  photos: number;
  doorWork: number;
  custodyEvents: number;
  moves: number;
  flaggedJobs: number;
  rejected: number;
  syncFailures: number;
  kills: number;
  requests: number;
  faults: number;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** One run on the given server: its state carries over from earlier runs, the model reads it fresh. */
async function fuzzRun(server: KillableServer, seed: number, seeded: ReadonlySet<string>): Promise<RunStats> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Its own stream, so the faults a request meets do not shift the scenario's next choices.
  const proxy: FaultProxy = await startFaultProxy({ target: () => server.url, random: seededRandom(seed ^ 0x5bd1e995) });
  cleanup.push(() => proxy.close());
  const laptops: FieldLaptop[] = [];
  for (const plan of laptopPlan) laptops.push(await fieldLaptop({ ...plan, serverUrl: server.url, syncUrl: proxy.url }));
  const office = await signIn(server.url, 'dispatcher1');
  const agentIds = new Map<string, string>();
  for (const username of movableTo) agentIds.set((await signIn(server.url, username)).user.id, username);
  const before = await serverState(server, office.token);
  const storedBefore = await readStoredRecords(server);

  // Three pictures shared by everyone: the same bytes turn up in several photos on several laptops.
  const images = [0, 1, 2].map(() => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const stats: RunStats = { seed, written: 0, photos: 0, doorWork: 0, custodyEvents: 0, moves: 0, flaggedJobs: 0, rejected: 0, syncFailures: 0, kills: 0, requests: 0, faults: 0 };
  const written: Written[] = [];
  const stuck: string[] = [];
  /** Item id → the laptop that continues its custody chain (see recordDoorWork). */
  const chainOwners = new Map<string, string>();
  /** Records still in a laptop's outbox when the office moved their job away from its agent. */
  const movedAway = new Map<string, { readonly jobId: string; readonly fromAgentId: string }>();
  /** History entries the office's own moves write (a reassignment is listed by name): known, not strangers. */
  const officeRecords = new Set<string>();
  const everHeldAgain = new Set<string>();

  async function trySync(laptop: FieldLaptop): Promise<void> {
    try {
      await laptop.engine.syncOnce();
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      stats.syncFailures += 1;
      // Faults on the wire must only ever look like something waiting can fix.
      if (!error.retryable) stuck.push(`${laptop.name}: ${error.kind}: ${error.message}`);
    }
  }

  /** The office moves one open job to another agent, straight at the server (its desk is online). */
  async function moveJob(): Promise<void> {
    const list = await serverGet(server, office.token, '/api/v1/jobs?limit=1000', (body) => JobList.parse(body));
    const movable = list.jobs.filter((job) => job.assignedAgentId !== null && agentIds.has(job.assignedAgentId) && !leavesView.has(job.status));
    if (movable.length === 0) return;
    const job = pick(movable);
    const fromAgentId = job.assignedAgentId ?? '';
    const toAgentId = pick([...agentIds.keys()].filter((id) => id !== fromAgentId));
    // What the old agent's laptops hold back for this job now reaches the server after the move.
    const stored = await readStoredRecords(server);
    const detail = await serverState(server, office.token, [job.id]);
    const onServer = new Set([
      ...Object.values(stored).flatMap((rows) => rows.map((row) => row.id)),
      ...[...(detail.get(job.id)?.notes ?? []), ...(detail.get(job.id)?.statusChanges ?? [])].map((record) => record.id),
    ]);
    const answer = await fetch(`${server.url}/api/v1/jobs/assignments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${office.token}`, 'content-type': 'application/json' },
      // The dispatcher confirms taking it from its agent, as it stands on the list they read.
      body: JSON.stringify({ jobIds: [job.id], agentId: toAgentId, seen: [{ jobId: job.id, agentId: job.assignedAgentId, status: job.status, confirmed: true }] }),
    });
    expect(answer.status, `seed ${seed}: moving job ${job.id}`).toBe(200);
    const result = BulkResult.parse(await answer.json()).results[0];
    if (result?.outcome !== 'done') {
      expect(result?.reason, `seed ${seed}: a refused move without words`).toBeTruthy();
      return;
    }
    const writtenIds = new Set(written.map((record) => record.id));
    for (const change of (await serverState(server, office.token, [job.id])).get(job.id)?.statusChanges ?? []) {
      if (!onServer.has(change.id) && !writtenIds.has(change.id)) officeRecords.add(change.id);
    }
    for (const laptop of laptops.filter((candidate) => candidate.login.user.id === fromAgentId)) {
      for (const entry of await laptop.db.outbox.where('jobId').equals(job.id).toArray()) {
        if (!onServer.has(entry.mutation.data.id)) movedAway.set(entry.mutation.data.id, { jobId: job.id, fromAgentId });
      }
    }
    // A job that comes back to an agent before their late work lands makes that work theirs again.
    for (const record of movedAway.values()) if (record.jobId === job.id && record.fromAgentId === toAgentId) everHeldAgain.add(job.id);
    stats.moves += 1;
  }

  // Everyone starts with their jobs on the laptop, then works offline under faults.
  proxy.setRates(fuzzRates);
  for (const laptop of laptops) await trySync(laptop);

  for (let step = 0; step < stepsPerRun; step += 1) {
    const laptop = pick(laptops);
    const isAgent = laptop.login.user.role === 'agent';
    const roll = random();
    if (roll < 0.2) {
      const jobs = await laptop.jobs.listJobs();
      if (jobs.length === 0) continue;
      const job = pick(jobs);
      const note = await laptop.jobs.addJobNote(job.id, `seed ${seed} step ${step} by ${laptop.name}`);
      written.push({ kind: 'note', id: note.id, jobId: job.id, laptop });
    } else if (roll < 0.27 && isAgent) {
      const jobs = await laptop.jobs.listJobs();
      if (jobs.length === 0) continue;
      const job = pick(jobs);
      const image = pick(images);
      const photo = await laptop.door.addPhoto({
        jobId: job.id,
        subject: 'job',
        subjectId: null,
        image: { blob: new Blob([image.bytes], { type: 'image/jpeg' }), sha256: image.sha256, width: 64, height: 64, thumbnail: null, capturedAt: null },
        place: null,
      });
      written.push({ kind: 'photo', id: photo.id, jobId: job.id, laptop, sha256: image.sha256 });
    } else if (roll < 0.5 && isAgent) {
      const jobs = await laptop.jobs.listJobs();
      if (jobs.length === 0) continue;
      const done = await recordDoorWork(laptop, pick(jobs), random, chainOwners);
      if (done) written.push({ ...done, laptop });
    } else if (roll < 0.6) {
      const jobs = await laptop.jobs.listJobs();
      if (jobs.length === 0) continue;
      const job = pick(jobs);
      const actor = actorForRole(laptop.login.user.role);
      const next = (['assigned', 'en_route', 'on_site', 'attempted', 'partially_recovered', 'recovered', 'on_hold'] as const).filter(
        (to) => !leavesView.has(to) && canTransition(job.status, to, actor),
      );
      if (next.length === 0) continue;
      const change = await laptop.jobs.changeJobStatus(job.id, pick(next));
      written.push({ kind: 'statusChange', id: change.id, jobId: job.id, laptop });
    } else if (roll < 0.66) {
      await moveJob();
    } else if (roll < 0.85) {
      await trySync(laptop);
    } else if (roll < 0.95) {
      // Laptops coming back into coverage together: their requests interleave and overtake.
      await Promise.all(laptops.filter(() => random() < 0.6).map(trySync));
    } else if (stats.kills < killsPerRun) {
      // A power cut at the server while a laptop is mid-sync.
      const delayMs = Math.floor(random() * 40);
      await Promise.all([trySync(laptop), new Promise((done) => setTimeout(done, delayMs)).then(() => server.kill())]);
      stats.kills += 1;
      await trySync(pick(laptops));
      await server.start();
    }
  }

  // Faults stop; everyone syncs until a whole round starts with every outbox empty.
  proxy.setRates({});
  for (let round = 0; ; round += 1) {
    if (round > 10) throw new Error(`seed ${seed}: outboxes did not drain in 10 clean rounds`);
    const drained = (await Promise.all(laptops.map((laptop) => laptop.db.outbox.count()))).every((count) => count === 0);
    for (const laptop of laptops) {
      // Files that failed under the faults wait out their back-off; the scheduler would wait it out too.
      await laptop.db.blobs.where('state').equals('waiting').modify({ nextAttemptAt: 0 });
      await laptop.engine.syncOnce();
    }
    if (drained) break;
  }

  expect(stuck, `seed ${seed}: faults produced errors no retry can fix`).toEqual([]);
  const verdict = await expectConverged({
    seed,
    server,
    officeToken: office.token,
    laptops,
    written,
    before,
    storedBefore,
    seeded,
    images,
    officeRecords,
    movedAway: [...movedAway].filter(([, record]) => !everHeldAgain.has(record.jobId)).map(([id, record]) => ({ id, jobId: record.jobId })),
  });

  stats.written = written.length;
  stats.photos = written.filter((record) => record.kind === 'photo').length;
  stats.doorWork = written.filter((record) => ['visit', 'itemReconciliation', 'custodyEvent'].includes(record.kind)).length;
  stats.custodyEvents = written.filter((record) => record.kind === 'custodyEvent').length;
  stats.flaggedJobs = verdict.flaggedJobs;
  stats.rejected = verdict.rejected;
  stats.requests = Object.values(proxy.counts).reduce((sum, count) => sum + count, 0);
  stats.faults = stats.requests - proxy.counts.clean;
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
  return stats;
}

describe(`sync converges under faults (seeded model-based fuzzer, ${testStore})`, () => {
  it(
    `${laptopPlan.length} laptops × ${stepsPerRun} steps × ${runs} runs: the same data everywhere, every change applied once`,
    async () => {
      const all: RunStats[] = [];
      // One server process for all runs (killed and restarted inside them): starting it is the slow part.
      const server = await startKillableServer();
      try {
        const seeded = new Set(Object.values(await readStoredRecords(server)).flatMap((rows) => rows.map((row) => row.id)));
        for (let run = 0; run < runs; run += 1) all.push(await fuzzRun(server, baseSeed + run, seeded));
      } finally {
        await server.close();
      }
      const total = (key: keyof RunStats) => all.reduce((sum, stats) => sum + stats[key], 0);
      console.log(
        `sync fuzz (${testStore}): ${runs} runs (seeds ${baseSeed}…${baseSeed + runs - 1}) × ${laptopPlan.length} laptops × ${stepsPerRun} steps: ` +
          `${total('written')} local writes (notes, status changes, ${total('photos')} photos sharing 3 files, ${total('doorWork')} pieces of door work of which ${total('custodyEvents')} signed custody events; ` +
          `${total('rejected')} refused with a reason), ${total('moves')} jobs moved by the office (${total('flaggedJobs')} flagged for late work), ${total('requests')} HTTP requests, ` +
          `${total('faults')} faults injected, ${total('kills')} server kills, ${total('syncFailures')} failed sync rounds; ` +
          `fault rates ${JSON.stringify(fuzzRates)}`,
      );
    },
    Math.max(120_000, runs * stepsPerRun * 1000),
  );
});
