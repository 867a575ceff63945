import { propertyState, type PersonalPropertyEntry, type PersonalPropertyEvent } from '../../shared/domain/personal-property';
import type { Job } from '../../shared/domain/job';
import { missingBlobs, refused, type DoorAct, type DoorOutcome } from './door-act';
import { doorRecordsRepository } from './door-records-repository';
import { personalPropertyRepository } from './personal-property-repository';

/** Stored, and whether the job needs the dispatcher's eyes because of it. */
export interface PropertyRecorded {
  readonly recorded: true;
  readonly review: string | null;
}

export function isPropertyRecorded(value: PropertyRecorded | DoorOutcome): value is PropertyRecorded {
  return 'recorded' in value;
}

/** The entry names the item it was found with: one the order listed, or one found at the door. */
export async function applyPersonalProperty(act: DoorAct, job: Job, data: PersonalPropertyEntry): Promise<PropertyRecorded | DoorOutcome> {
  const property = personalPropertyRepository(act.db);
  if (await property.entryExists(data.id)) return refused('invalid', 'This personal property is already recorded.');
  if (data.itemId !== null && !job.items.some((item) => item.id === data.itemId)) {
    const found = await doorRecordsRepository(act.db).reconciliations.ofJob(job.id);
    if (!found.some((line) => line.itemId === data.itemId)) {
      return refused('invalid', 'The item these belongings were found with is not on this job; record them against one of its items or none.');
    }
  }
  const missing = await missingBlobs(act, data.photoHashes);
  if (missing) return missing;
  await property.insertEntry({ ...data, byUserId: act.principal.userId }, act.hlc);
  return { recorded: true, review: null };
}

/**
 * An event follows its entry. Two devices may record different fates for the same belongings
 * (stored on one, returned on the other) before either syncs: both happened as far as their
 * authors know, so both are kept, the shared fold decides the state the same way everywhere,
 * and the job goes to the dispatcher to sort out.
 */
export async function applyPersonalPropertyEvent(act: DoorAct, job: Job, data: PersonalPropertyEvent): Promise<PropertyRecorded | DoorOutcome> {
  const property = personalPropertyRepository(act.db);
  if (await property.eventExists(data.id)) return refused('invalid', 'This change to personal property is already recorded.');
  const entry = await property.findEntry(data.propertyId);
  // The entry waits for its photos to upload; the event that follows it may come first.
  if (!entry) return refused('chain_waiting', 'The personal property this belongs to has not reached the server yet; it will be sent again after it does.');
  if (entry.jobId !== job.id) return refused('invalid', 'This personal property belongs to another job.');
  if (data.kind === 'returned' && data.signatureHash !== null) {
    const missing = await missingBlobs(act, [data.signatureHash]);
    if (missing) return missing;
  }
  const earlier = await property.eventsOf(entry.id);
  const before = propertyState(earlier).conflicts.length;
  const after = propertyState([...earlier, data]);
  await property.insertEvent({ ...data, byUserId: act.principal.userId }, act.hlc);
  if (after.conflicts.length === before) return { recorded: true, review: null };
  return {
    recorded: true,
    review: `Personal property “${entry.description}” has records that disagree (now ${after.status}); check with the agent what became of it.`,
  };
}
