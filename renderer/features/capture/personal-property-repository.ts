import { z } from 'zod';
import { Signature } from '../../../shared/domain/evidence';
import {
  PersonalPropertyEntry,
  PersonalPropertyEvent,
  propertyState,
  propertyTransitionProblem,
  type ReturnMethod,
} from '../../../shared/domain/personal-property';
import type { Place } from '../../../shared/domain/visit';
import { newId } from '../../../shared/ids';
import { readMeta } from '../../db/meta';
import { queueMutation } from '../../db/outbox';
import { JobNotFoundError, NotSignedInError } from '../../db/repository-errors';
import type { LocalJob, ReclaimDatabase } from '../../db/schema';
import { DoorRuleError } from './door-errors';
import { keepBlob, storePhoto, storingEvidence } from './door-repository';
import type { PreparedImage } from './photo-pipeline';

export interface FoundPropertyInput {
  jobId: string;
  itemId: string | null;
  description: string;
  foundWhere: string;
  images: readonly PreparedImage[];
  place: Place | null;
}

/** What became of the belongings, as the agent records it; the repository adds ids and times. */
export type PropertyFate =
  | { kind: 'stored'; location: string }
  | { kind: 'returned'; returnedTo: string; method: ReturnMethod; signatureHash: string | null }
  | { kind: 'released'; releasedTo: string; reason: string }
  | { kind: 'disposed'; reason: string };

export interface PropertyEventInput {
  propertyId: string;
  fate: PropertyFate;
  note?: string;
  place: Place | null;
  /** The receiver signed for a return: stored with the event, in the same write. */
  signature?: { signerName: string; statement: string; image: PreparedImage };
}

/** The zod message the agent should read, without the schema's path noise. */
function firstProblem(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Check the fields and try again.';
}

/**
 * Personal property on this device. Like every door write, each call puts its rows and their
 * outbox mutations in one Dexie transaction; the entry's photos are ordinary photo records
 * (subject personal_property) whose bytes join the blob queue in the same transaction, and the
 * entry names them by hash, so it is pushed only after they are uploaded.
 */
export class PersonalPropertyRepository {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async context(jobId: string): Promise<{ userId: string; job: LocalJob }> {
    const session = await readMeta(this.db, 'session');
    if (!session) throw new NotSignedInError();
    const job = await this.db.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return { userId: session.user.id, job };
  }

  async recordFound(input: FoundPropertyInput): Promise<PersonalPropertyEntry> {
    const { db } = this;
    return storingEvidence(() =>
      db.transaction('rw', [db.jobs, db.itemReconciliations, db.photos, db.blobs, db.personalProperty, db.outbox, db.meta], async () => {
        const { userId, job } = await this.context(input.jobId);
        if (input.itemId !== null && !job.items.some((item) => item.id === input.itemId)) {
          const unexpected = await db.itemReconciliations.where('itemId').equals(input.itemId).first();
          if (!unexpected || unexpected.jobId !== job.id) throw new DoorRuleError('Pick one of this job’s items, or none, for where the belongings were found.');
        }
        const at = this.now().toISOString();
        const parsed = PersonalPropertyEntry.safeParse({
          id: newId(),
          jobId: job.id,
          itemId: input.itemId,
          description: input.description,
          foundWhere: input.foundWhere,
          photoHashes: [...new Set(input.images.map((image) => image.sha256))],
          foundAt: at,
          place: input.place,
          byUserId: userId,
        });
        if (!parsed.success) throw new DoorRuleError(firstProblem(parsed.error));
        const entry = parsed.data;
        // Photos first: the outbox pushes in order, and the entry names their bytes.
        for (const image of input.images) {
          await storePhoto(db, image, { jobId: job.id, subject: 'personal_property', subjectId: entry.id, place: input.place, byUserId: userId }, new Date(at));
        }
        await db.personalProperty.add(entry);
        await queueMutation(db, { entity: 'personalProperty', op: 'create', data: entry }, () => this.now().getTime());
        return entry;
      }),
    );
  }

  /**
   * A change of hands, checked against the trail this device holds before anything is written.
   * A receiver's signature is stored in the same transaction, so it never shows up on its own
   * as a job signature (it is not the customer signing for the equipment).
   */
  async recordEvent(input: PropertyEventInput): Promise<PersonalPropertyEvent> {
    const { db } = this;
    return storingEvidence(() =>
      db.transaction('rw', [db.jobs, db.personalProperty, db.personalPropertyEvents, db.signatures, db.blobs, db.outbox, db.meta], async () => {
        const entry = await db.personalProperty.get(input.propertyId);
        if (!entry) throw new DoorRuleError('These belongings are not recorded on this laptop.');
        const { userId, job } = await this.context(entry.jobId);
        const trail = await db.personalPropertyEvents.where('propertyId').equals(entry.id).toArray();
        const problem = propertyTransitionProblem(propertyState(trail).status, input.fate.kind);
        if (problem) throw new DoorRuleError(problem);
        const at = this.now().toISOString();
        const signature = input.signature && input.fate.kind === 'returned' ? this.signatureOf(input.signature, job.id, userId, input.place, at) : null;
        const fate = input.fate.kind === 'returned' && signature ? { ...input.fate, signatureHash: signature.sha256 } : input.fate;
        const parsed = PersonalPropertyEvent.safeParse({ ...fate, id: newId(), propertyId: entry.id, jobId: job.id, at, place: input.place, note: input.note ?? '', byUserId: userId });
        if (!parsed.success) throw new DoorRuleError(firstProblem(parsed.error));
        const event = parsed.data;
        if (signature && input.signature) {
          await keepBlob(db, input.signature.image, this.now());
          await db.signatures.add(signature);
          await queueMutation(db, { entity: 'signature', op: 'create', data: signature }, () => this.now().getTime());
        }
        await db.personalPropertyEvents.add(event);
        await queueMutation(db, { entity: 'personalPropertyEvent', op: 'create', data: event }, () => this.now().getTime());
        return event;
      }),
    );
  }

  private signatureOf(signed: NonNullable<PropertyEventInput['signature']>, jobId: string, userId: string, place: Place | null, at: string): Signature {
    const parsed = Signature.safeParse({
      id: newId(),
      jobId,
      signerName: signed.signerName,
      signerRole: 'customer',
      statement: signed.statement,
      sha256: signed.image.sha256,
      mimeType: 'image/png',
      bytes: signed.image.blob.size,
      signedAt: at,
      place,
      byUserId: userId,
    });
    if (!parsed.success) throw new DoorRuleError(firstProblem(parsed.error));
    return parsed.data;
  }
}
