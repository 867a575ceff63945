import type { Kysely } from 'kysely';
import type { Job } from '../../shared/domain/job';
import { changeLog, type Appended, type ChangeEntity } from '../store/change-log';
import { custodyRepository } from '../custody/custody-repository';
import { jobHistoryRepository } from '../store/job-history-repository';
import { doorRecordsRepository } from '../visits/door-records-repository';
import { personalPropertyRepository } from '../visits/personal-property-repository';
import type { Database } from '../store/schema';

export interface JobWrite {
  /** The job as it is after the write. */
  readonly job: Job;
  /** Whom the job was assigned to before the write. */
  readonly previousAgentId: string | null;
  readonly jobRowChanged: boolean;
  readonly statusChangeIds?: readonly string[];
  readonly noteIds?: readonly string[];
}

/**
 * Appends a job write to the change log for everyone who must see it. Runs in the caller's
 * transaction so the log never names a row that was not committed.
 *
 * When the job moves from agent A to agent B, A gets a removal (personal data leaves A's laptop)
 * and B gets the job with its whole history, because B has never seen any of it.
 */
export async function publishJobWrite(db: Kysely<Database>, write: JobWrite): Promise<void> {
  const log = changeLog(db);
  const jobId = write.job.id;
  const delta = [
    ...(write.jobRowChanged ? [{ entity: 'job' as ChangeEntity, entityId: jobId, jobId }] : []),
    ...(write.statusChangeIds ?? []).map((id) => ({ entity: 'jobStatusChange' as ChangeEntity, entityId: id, jobId })),
    ...(write.noteIds ?? []).map((id) => ({ entity: 'jobNote' as ChangeEntity, entityId: id, jobId })),
  ];
  await log.append('office', delta);

  const agentId = write.job.assignedAgentId;
  if (write.previousAgentId !== null && write.previousAgentId !== agentId) {
    await log.append({ agentId: write.previousAgentId }, [{ entity: 'jobRemoval', entityId: jobId, jobId }]);
  }
  if (agentId === null) return;
  // A closed or cancelled job leaves the agent's laptop (personal data kept no longer than the
  // work needs): the agent gets the final state, then a removal. The app deletes the job once
  // its own pending changes for it have been pushed.
  const finished = write.job.status === 'closed' || write.job.status === 'cancelled';
  if (agentId === write.previousAgentId) {
    await log.append({ agentId }, finished ? [...delta, { entity: 'jobRemoval', entityId: jobId, jobId }] : delta);
    return;
  }
  if (finished) return;
  const history = jobHistoryRepository(db);
  const door = doorRecordsRepository(db);
  // The new agent gets the door history too: earlier visits, evidence and the custody chain
  // their next custody event must continue from.
  const property = personalPropertyRepository(db);
  const [statusChanges, notes, visits, reconciliations, photos, signatures, custodyEvents, propertyEntries, propertyEvents] = await Promise.all([
    history.statusChangesOf(jobId),
    history.notesOf(jobId),
    door.visits.ofJob(jobId),
    door.reconciliations.ofJob(jobId),
    door.photos.ofJob(jobId),
    door.signatures.ofJob(jobId),
    custodyRepository(db).eventsOfJob(jobId),
    property.entriesOfJob(jobId),
    property.eventsOfJob(jobId),
  ]);
  const entries = (entity: ChangeEntity, records: readonly { id: string }[]) =>
    records.map((record) => ({ entity, entityId: record.id, jobId }));
  await log.append({ agentId }, [
    { entity: 'job', entityId: jobId, jobId },
    ...entries('jobStatusChange', statusChanges),
    ...entries('jobNote', notes),
    ...entries('visit', visits),
    ...entries('itemReconciliation', reconciliations),
    ...entries('photo', photos),
    ...entries('signature', signatures),
    ...entries('custodyEvent', custodyEvents),
    ...entries('personalProperty', propertyEntries),
    ...entries('personalPropertyEvent', propertyEvents),
  ]);
}

/** The record tables a new agent receives in full with a job, and the log entity of each. */
const historyTables = [
  ['job_status_changes', 'jobStatusChange'],
  ['job_notes', 'jobNote'],
  ['visits', 'visit'],
  ['item_reconciliations', 'itemReconciliation'],
  ['photos', 'photo'],
  ['signatures', 'signature'],
  ['custody_events', 'custodyEvent'],
  ['personal_property', 'personalProperty'],
  ['personal_property_events', 'personalPropertyEvent'],
] as const satisfies readonly (readonly [keyof Database, ChangeEntity])[];

/** Jobs per history query: one bound parameter each, well under SQLite's and PostgreSQL's caps. */
const JOBS_PER_QUERY = 1000;

/**
 * The ids of every record of these jobs a new agent must receive, by job, in the order
 * publishJobWrite sends them: one query per table for all the jobs, not nine per job.
 */
async function historyOfJobs(db: Kysely<Database>, jobIds: readonly string[]): Promise<Map<string, Appended[]>> {
  const byJob = new Map<string, Appended[]>(jobIds.map((jobId) => [jobId, [{ entity: 'job', entityId: jobId, jobId }]]));
  for (const [table, entity] of historyTables) {
    for (let start = 0; start < jobIds.length; start += JOBS_PER_QUERY) {
      // The tables share these columns; Kysely cannot type a query over a union of table names.
      const rows = await db
        .selectFrom(table as 'job_notes')
        .select(['id', 'job_id'])
        .where('job_id', 'in', jobIds.slice(start, start + JOBS_PER_QUERY))
        .orderBy('hlc')
        .orderBy('id')
        .execute();
      for (const row of rows) byJob.get(row.job_id)?.push({ entity, entityId: row.id, jobId: row.job_id });
    }
  }
  return byJob;
}

/**
 * publishJobWrite for many jobs at once (bulk assignment, hold, cancel): the same rows for the
 * same audiences, one append per audience instead of several per job.
 */
export async function publishJobWrites(db: Kysely<Database>, writes: readonly JobWrite[]): Promise<void> {
  const log = changeLog(db);
  const byAudience = new Map<string | null, Appended[]>();
  const add = (agentId: string | null, entries: readonly Appended[]) => {
    const list = byAudience.get(agentId) ?? [];
    list.push(...entries);
    byAudience.set(agentId, list);
  };
  const newcomers: JobWrite[] = [];
  for (const write of writes) {
    const jobId = write.job.id;
    const delta: Appended[] = [
      ...(write.jobRowChanged ? [{ entity: 'job' as ChangeEntity, entityId: jobId, jobId }] : []),
      ...(write.statusChangeIds ?? []).map((id) => ({ entity: 'jobStatusChange' as ChangeEntity, entityId: id, jobId })),
      ...(write.noteIds ?? []).map((id) => ({ entity: 'jobNote' as ChangeEntity, entityId: id, jobId })),
    ];
    add(null, delta);
    const agentId = write.job.assignedAgentId;
    if (write.previousAgentId !== null && write.previousAgentId !== agentId) add(write.previousAgentId, [{ entity: 'jobRemoval', entityId: jobId, jobId }]);
    if (agentId === null) continue;
    const finished = write.job.status === 'closed' || write.job.status === 'cancelled';
    if (agentId === write.previousAgentId) add(agentId, finished ? [...delta, { entity: 'jobRemoval', entityId: jobId, jobId }] : delta);
    else if (!finished) newcomers.push(write);
  }
  const history = await historyOfJobs(db, newcomers.map((write) => write.job.id));
  for (const write of newcomers) add(write.job.assignedAgentId, history.get(write.job.id) ?? []);
  for (const [agentId, entries] of byAudience) await log.append(agentId === null ? 'office' : { agentId }, entries);
}
