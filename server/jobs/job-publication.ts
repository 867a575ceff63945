import type { Kysely } from 'kysely';
import type { Job } from '../../shared/domain/job';
import { changeLog, type ChangeEntity } from '../store/change-log';
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
