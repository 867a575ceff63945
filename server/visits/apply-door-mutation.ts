import type { Mutation } from '../../shared/sync/protocol';
import { objectionViolation } from '../../shared/domain/door-rules';
import { visitNeedsReview } from '../../shared/domain/visit';
import type { Job } from '../../shared/domain/job';
import { applyCustodyEvent, applyDeviceKey, custodyJob } from '../custody/apply-custody-event';
import { keepRefusedCustodyEvent } from '../custody/custody-rejections';
import { publishJobWrite } from '../jobs/job-publication';
import type { ChangeEntity } from '../store/change-log';
import { changeLog } from '../store/change-log';
import { jobsRepository } from '../store/jobs-repository';
import { movedJobDoorReason } from '../../shared/dispatch/moved-job-work';
import { applied, doorJob, isDoorJob, missingBlobs, refused, type DoorAct, type DoorOutcome } from './door-act';
import { doorRecordsRepository } from './door-records-repository';
import { applyPersonalProperty, applyPersonalPropertyEvent, isPropertyRecorded, type PropertyRecorded } from './apply-personal-property';

export type DoorMutation = Exclude<Mutation, { entity: 'jobStatusChange' | 'jobNote' }>;

/**
 * Door records are append-only and merge by union: inserting one that already exists under
 * the same id is refused (a different mutation claiming an existing record), never an update.
 */
export async function applyDoorMutation(act: DoorAct, mutation: DoorMutation): Promise<DoorOutcome> {
  if (mutation.entity === 'deviceKey') return applyDeviceKey(act, mutation.data);
  // A refused custody event is kept aside and its job flagged, whichever rule refused it.
  if (mutation.entity === 'custodyEvent') return keepRefusedCustodyEvent(act, mutation.data, await applyJobDoorMutation(act, mutation));
  return applyJobDoorMutation(act, mutation);
}

async function applyJobDoorMutation(act: DoorAct, mutation: Exclude<DoorMutation, { entity: 'deviceKey' }>): Promise<DoorOutcome> {
  const found = mutation.entity === 'custodyEvent' ? await custodyJob(act, mutation.data) : await doorJob(act, mutation.data.jobId);
  if (!isDoorJob(found)) return found;
  const outcome = await applyDoorRecord(act, found.job, mutation);
  if (!found.moved || outcome.outcome !== 'applied') return outcome;
  const reason = movedJobDoorReason(act.principal.displayName, doorRecordNames[mutation.entity]);
  await flagMovedJob(act, found.job, reason);
  return { outcome: 'applied', code: 'flagged', reason };
}

const doorRecordNames: Record<Exclude<DoorMutation['entity'], 'deviceKey'>, string> = {
  visit: 'a visit',
  itemReconciliation: 'an item’s condition',
  photo: 'a photo',
  signature: 'a signature',
  custodyEvent: 'a custody event',
  visitDeparture: 'a departure',
  personalProperty: 'personal property',
  personalPropertyEvent: 'what became of personal property',
  customerReceipt: 'a receipt left with the customer',
};

/** The job row after door work arrived from an agent it was taken from: flagged, nothing else. */
async function flagMovedJob(act: DoorAct, stale: Job, reason: string): Promise<void> {
  const job = (await jobsRepository(act.db).find(stale.id)) ?? stale;
  // An objection flag raised by the same record stays readable next to this one.
  const reviewReason = job.reviewReason && !job.reviewReason.includes(reason) ? `${job.reviewReason} ${reason}` : reason;
  const updated: Job = { ...job, reviewReason, updatedAt: act.at, version: job.version + 1 };
  await jobsRepository(act.db).save(updated);
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true });
}

async function applyDoorRecord(act: DoorAct, job: Job, mutation: Exclude<DoorMutation, { entity: 'deviceKey' }>): Promise<DoorOutcome> {
  const records = doorRecordsRepository(act.db);
  // The author is whoever is signed in, whatever the client claimed.
  const byUserId = act.principal.userId;
  switch (mutation.entity) {
    case 'visit': {
      if (await records.visits.exists(mutation.data.id)) return refused('invalid', 'A visit with this id already exists.');
      await records.visits.insert({ ...mutation.data, byUserId }, act.hlc);
      const review = visitNeedsReview(mutation.data);
      if (review === null) return announce(act, job, 'visit', mutation.data.id);
      await flagJob(act, job, review, { entity: 'visit', id: mutation.data.id });
      return { outcome: 'applied', code: 'flagged', reason: review };
    }
    case 'itemReconciliation': {
      if (await records.reconciliations.exists(mutation.data.id)) return refused('invalid', 'This item record already exists.');
      const visit = await records.visits.find(mutation.data.visitId);
      if (!visit) return refused('not_found', 'The visit this item was recorded at is not on the server.');
      const violation = objectionViolation(visit.outcome, mutation.data.status);
      if (violation) return refused('invalid', violation);
      await records.reconciliations.insert({ ...mutation.data, byUserId }, act.hlc);
      return announce(act, job, 'itemReconciliation', mutation.data.id);
    }
    case 'photo': {
      if (await records.photos.exists(mutation.data.id)) return refused('invalid', 'A photo with this id already exists.');
      const missing = await missingBlobs(act, [mutation.data.sha256]);
      if (missing) return missing;
      await records.photos.insert({ ...mutation.data, byUserId }, act.hlc);
      return announce(act, job, 'photo', mutation.data.id);
    }
    case 'signature': {
      if (await records.signatures.exists(mutation.data.id)) return refused('invalid', 'A signature with this id already exists.');
      const missing = await missingBlobs(act, [mutation.data.sha256]);
      if (missing) return missing;
      await records.signatures.insert({ ...mutation.data, byUserId }, act.hlc);
      return announce(act, job, 'signature', mutation.data.id);
    }
    case 'visitDeparture': {
      if (await records.departures.exists(mutation.data.id)) return refused('invalid', 'This departure is already recorded.');
      const visit = await records.visits.find(mutation.data.visitId);
      if (!visit || visit.jobId !== mutation.data.jobId) return refused('not_found', 'The visit this departure closes is not on the server.');
      await records.departures.insert({ ...mutation.data, byUserId }, act.hlc);
      // Laptops learn of it as the visit again, now with its departure time.
      return announce(act, job, 'visit', visit.id);
    }
    case 'custodyEvent': {
      const outcome = await applyCustodyEvent(act, job, mutation.data);
      return outcome.outcome === 'applied' ? announce(act, job, 'custodyEvent', mutation.data.id) : outcome;
    }
    case 'customerReceipt': {
      if (await records.receipts.exists(mutation.data.id)) return refused('invalid', 'A receipt with this id already exists.');
      const visit = await records.visits.find(mutation.data.visitId);
      // The visit is pushed before its receipt, from the same outbox; a missing one is another job's or none.
      if (!visit || visit.jobId !== mutation.data.jobId) return refused('not_found', 'The visit this receipt was made at is not on the server for this job.');
      const missing = await missingBlobs(act, [mutation.data.sha256]);
      if (missing) return missing;
      await records.receipts.insert({ ...mutation.data, byUserId }, act.hlc);
      return announce(act, job, 'customerReceipt', mutation.data.id);
    }
    case 'personalProperty':
      return afterProperty(act, job, { entity: 'personalProperty', id: mutation.data.id }, await applyPersonalProperty(act, job, mutation.data));
    case 'personalPropertyEvent':
      return afterProperty(act, job, { entity: 'personalPropertyEvent', id: mutation.data.id }, await applyPersonalPropertyEvent(act, job, mutation.data));
  }
}

async function afterProperty(act: DoorAct, job: Job, record: { entity: ChangeEntity; id: string }, result: PropertyRecorded | DoorOutcome): Promise<DoorOutcome> {
  if (!isPropertyRecorded(result)) return result;
  if (result.review === null) return announce(act, job, record.entity, record.id);
  await flagJob(act, job, result.review, record);
  return { outcome: 'applied', code: 'flagged', reason: result.review };
}

/** A new record never changes the job row, so it goes to whoever sees the job, and no further. */
async function announce(act: DoorAct, job: Job, entity: ChangeEntity, id: string): Promise<DoorOutcome> {
  const entry = [{ entity, entityId: id, jobId: job.id }];
  await changeLog(act.db).append('office', entry);
  if (job.assignedAgentId !== null) await changeLog(act.db).append({ agentId: job.assignedAgentId }, entry);
  return applied;
}

/** An objection or an unsafe site puts the job in front of the dispatcher (jobs.review_reason). */
async function flagJob(act: DoorAct, job: Job, reason: string, record: { entity: ChangeEntity; id: string }): Promise<void> {
  const updated: Job = { ...job, reviewReason: reason, updatedAt: act.at, version: job.version + 1 };
  await jobsRepository(act.db).save(updated);
  await publishJobWrite(act.db, { job: updated, previousAgentId: job.assignedAgentId, jobRowChanged: true });
  await announce(act, updated, record.entity, record.id);
}
