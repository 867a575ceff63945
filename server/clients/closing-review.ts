import type { Kysely } from 'kysely';
import {
  defaultClientRequirements,
  effectiveReconciliations,
  evaluateChecklist,
  overrideNoteIn,
  reviewClosing,
  type ChecklistLine,
  type ClosingReview,
} from '../../shared/domain/client-requirements';
import type { Job } from '../../shared/domain/job';
import { custodyRepository } from '../custody/custody-repository';
import type { Database } from '../store/schema';
import { doorRecordsRepository } from '../visits/door-records-repository';
import { clientRequirementsRepository } from './client-requirements-repository';

/**
 * The client's checklist as the server sees it: the office's current requirements held against
 * the door records the server holds for the job. Run inside the push transaction, so records
 * applied earlier in the same batch count as much as those from earlier batches.
 */
export async function serverChecklist(db: Kysely<Database>, job: Job): Promise<ChecklistLine[]> {
  const records = doorRecordsRepository(db);
  const stored = await clientRequirementsRepository(db).find(job.clientId);
  const reconciliations = await records.reconciliations.ofJob(job.id);
  const photos = await records.photos.ofJob(job.id);
  const signatures = await records.signatures.ofJob(job.id);
  return evaluateChecklist(stored?.requirements ?? defaultClientRequirements, {
    reconciliations: effectiveReconciliations(reconciliations),
    photos,
    signatures,
  });
}

/** A close the field made past the checklist under an override already on record (a collection's). */
export type FieldClosingReview = ClosingReview | { readonly kind: 'overridden-earlier' };

/**
 * Re-checks a close that came from the field. `recorded` is the override that came with it. For
 * a status change, a collection the server already holds with an override note counts too: the
 * app asks for the reason at the collection, and the status change that follows carries none.
 */
export async function reviewFieldClosing(db: Kysely<Database>, job: Job, recorded: string | null, options: { earlierCollections: boolean }): Promise<FieldClosingReview> {
  const review = reviewClosing(await serverChecklist(db, job), recorded);
  if (review.kind !== 'unmet' || !options.earlierCollections) return review;
  const events = await custodyRepository(db).eventsOfJob(job.id);
  const earlier = events.some((event) => event.kind === 'collected' && overrideNoteIn(event.note) !== null);
  return earlier ? { kind: 'overridden-earlier' } : review;
}
