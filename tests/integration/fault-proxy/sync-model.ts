import { expect } from 'vitest';
import { JobDetail, JobList } from '../../../shared/api/jobs';
import type { JobStatus } from '../../../shared/domain/job-status';
import { CustodyRecord } from '../../../server/custody/custody-routes';
import type { DoorWorkKind } from './door-work';
import type { FieldLaptop } from './field-laptop';
import type { KillableServer } from './killable-server';
import { readStoredRecords, type DoorTable, type StoredRecords } from './stored-records';

/** One local write the fuzzer made, by whom, on which job. */
export interface Written {
  readonly kind: 'note' | 'statusChange' | 'photo' | DoorWorkKind;
  readonly id: string;
  readonly jobId: string;
  readonly laptop: FieldLaptop;
  readonly sha256?: string;
}

const finished: ReadonlySet<JobStatus> = new Set(['cancelled', 'closed']);
const movedJobFlag = /Work arrived for a job that moved/;

export async function serverGet<T>(server: KillableServer, token: string, path: string, parse: (body: unknown) => T): Promise<T> {
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return parse(await response.json());
}

/** Every job's detail (or the given jobs'), as the office reads it. */
export async function serverState(server: KillableServer, token: string, jobIds?: readonly string[]): Promise<Map<string, JobDetail>> {
  const ids = jobIds ?? (await serverGet(server, token, '/api/v1/jobs?limit=1000', (body) => JobList.parse(body))).jobs.map((job) => job.id);
  const details = new Map<string, JobDetail>();
  for (const id of ids) details.set(id, await serverGet(server, token, `/api/v1/jobs/${id}`, (body) => JobDetail.parse(body)));
  return details;
}

export interface ConvergenceCheck {
  readonly seed: number;
  readonly server: KillableServer;
  readonly officeToken: string;
  readonly laptops: readonly FieldLaptop[];
  readonly written: readonly Written[];
  /** The server before the run: earlier runs' records are known, not strangers. */
  readonly before: Map<string, JobDetail>;
  readonly storedBefore: StoredRecords;
  /**
   * Door records the demo seeded straight into the store (closed jobs' custody history) before any
   * run. They have no change-log rows, so no laptop ever pulls them; they are not what is under test.
   */
  readonly seeded: ReadonlySet<string>;
  readonly images: readonly { readonly bytes: Buffer; readonly sha256: string }[];
  /** Records the office's moves wrote on the server itself (each reassignment's history entry). */
  readonly officeRecords: ReadonlySet<string>;
  /** Records that reached the server only after the office moved their job from their agent (and never back). */
  readonly movedAway: readonly { readonly id: string; readonly jobId: string }[];
}

/**
 * The model's verdict once the faults stopped and every outbox drained: exactly once or refused
 * with a reason, nothing unknown, moved-job work kept and flagged, custody intact, every laptop
 * holding exactly the server's records for the jobs it may see.
 */
export async function expectConverged(check: ConvergenceCheck): Promise<{ rejected: number; flaggedJobs: number }> {
  const { seed, server, officeToken, laptops, written } = check;
  const after = await serverState(server, officeToken);
  const stored = await readStoredRecords(server);
  const rejectedIds = new Set<string>();
  const rejectedBy = new Map<FieldLaptop, Set<string>>();
  for (const laptop of laptops) {
    const mine = new Set<string>();
    for (const rejected of await laptop.db.rejectedMutations.toArray()) {
      expect(rejected.reason, `seed ${seed}: a refusal without words`).toBeTruthy();
      rejectedIds.add(rejected.mutation.data.id);
      mine.add(rejected.mutation.data.id);
    }
    rejectedBy.set(laptop, mine);
  }

  // Exactly once, or refused with a reason; never lost, never doubled.
  const serverCount = new Map<string, number>();
  const count = (id: string) => serverCount.set(id, (serverCount.get(id) ?? 0) + 1);
  for (const detail of after.values()) for (const record of [...detail.notes, ...detail.statusChanges]) count(record.id);
  for (const rows of Object.values(stored)) for (const row of rows) count(row.id);
  for (const record of written) {
    const expected = rejectedIds.has(record.id) ? 0 : 1;
    expect(serverCount.get(record.id) ?? 0, `seed ${seed}: ${record.kind} ${record.id} by ${record.laptop.name}`).toBe(expected);
  }
  // Nothing the laptops did not write.
  const known = new Set([
    ...written.map((record) => record.id),
    ...check.officeRecords,
    ...[...check.before.values()].flatMap((detail) => [...detail.notes, ...detail.statusChanges]).map((record) => record.id),
    ...Object.values(check.storedBefore).flatMap((rows) => rows.map((row) => row.id)),
  ]);
  for (const id of serverCount.keys()) expect(known.has(id), `seed ${seed}: unknown record ${id} on the server`).toBe(true);

  // Late work on a moved job is kept (above) and the job waits in the office's review inbox.
  const flaggedJobs = new Set(check.movedAway.filter((record) => !rejectedIds.has(record.id)).map((record) => record.jobId));
  for (const jobId of flaggedJobs) {
    expect(after.get(jobId)?.job.reviewReason ?? null, `seed ${seed}: job ${jobId} got work after it moved`).toMatch(movedJobFlag);
  }

  // Every custody record the laptops added to verifies on the server: hashes, signatures, chain.
  for (const jobId of new Set(written.filter((record) => record.kind === 'custodyEvent').map((record) => record.jobId))) {
    const record = await serverGet(server, officeToken, `/api/v1/jobs/${jobId}/custody`, (body) => CustodyRecord.parse(body));
    expect(record.verdict, `seed ${seed}: custody record of job ${jobId}`).toMatchObject({ intact: true });
  }

  // Every laptop holds what the server holds, for exactly the jobs it may see.
  for (const laptop of laptops) {
    const local = await laptop.jobs.listJobs();
    // An agent holds their open jobs; closed, cancelled and moved ones leave the laptop once synced.
    const visible = [...after.values()].filter(
      (detail) => laptop.login.user.role !== 'agent' || (detail.job.assignedAgentId === laptop.login.user.id && !finished.has(detail.job.status)),
    );
    const held = new Set(local.map((job) => job.id));
    const missing = visible.filter((detail) => !held.has(detail.job.id)).map((detail) => `${detail.job.id} (${detail.job.status})`);
    const cursor = await laptop.db.meta.get('cursor');
    expect([...held].sort(), `seed ${seed}: ${laptop.name}'s jobs; missing ${missing.join(', ')}; cursor ${JSON.stringify(cursor?.value)}`).toEqual(
      visible.map((detail) => detail.job.id).sort(),
    );
    const ids = (records: readonly { id: string }[] | undefined) => (records ?? []).map((record) => record.id).sort();
    for (const job of local) {
      const remote = after.get(job.id);
      const mine = await laptop.jobs.getJobDetail(job.id);
      expect({ status: mine?.job.status, notes: ids(mine?.notes), changes: ids(mine?.statusChanges) }, `seed ${seed}: ${laptop.name} job ${job.id}`).toEqual({
        status: remote?.job.status,
        notes: ids(remote?.notes),
        changes: ids(remote?.statusChanges),
      });
    }
    // Door records merge by union: for each job it holds, the laptop has the server's set. Its own
    // refused evidence stays beside the refusal (never dropped), so it is left out here.
    const refusedHere = rejectedBy.get(laptop) ?? new Set<string>();
    const localDoor: Record<DoorTable, { id: string; jobId: string }[]> = {
      photos: await laptop.db.photos.toArray(),
      visits: await laptop.db.visits.toArray(),
      item_reconciliations: await laptop.db.itemReconciliations.toArray(),
      custody_events: await laptop.db.custodyEvents.toArray(),
    };
    for (const [table, rows] of Object.entries(localDoor) as [DoorTable, { id: string; jobId: string }[]][]) {
      const have = rows.filter((row) => held.has(row.jobId) && !refusedHere.has(row.id));
      const expected = stored[table].filter((row) => held.has(row.jobId) && !check.seeded.has(row.id));
      expect(ids(have), `seed ${seed}: ${laptop.name}'s ${table}`).toEqual(ids(expected));
    }
    expect((await laptop.db.blobs.toArray()).map((row) => row.state).filter((state) => state !== 'uploaded'), `seed ${seed}: ${laptop.name}'s files`).toEqual([]);
  }

  // Photos: every picture named by a photo has its bytes on the server.
  for (const image of check.images) {
    if (!written.some((record) => record.kind === 'photo' && record.sha256 === image.sha256)) continue;
    const blob = await fetch(`${server.url}/api/v1/blobs/${image.sha256}`, { headers: { authorization: `Bearer ${officeToken}` } });
    expect(blob.status, `seed ${seed}: blob ${image.sha256}`).toBe(200);
    expect(Buffer.from(await blob.arrayBuffer()).equals(image.bytes)).toBe(true);
  }
  return { rejected: written.filter((record) => rejectedIds.has(record.id)).length, flaggedJobs: flaggedJobs.size };
}
