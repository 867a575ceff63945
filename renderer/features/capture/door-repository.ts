import { contactHoursWarning, objectionViolation, staleOrderWarning } from '../../../shared/domain/door-rules';
import { ItemReconciliation, Photo, Signature, type ConditionGrade, type ReconciliationStatus, type SerialConfirmation, type UnexpectedItem } from '../../../shared/domain/evidence';
import { Visit, VisitDeparture, type ContactMethod, type Place, type RuleOverride, type VisitOutcome } from '../../../shared/domain/visit';
import { newId } from '../../../shared/ids';
import type { BlobRow } from '../../db/door-tables';
import { readMeta } from '../../db/meta';
import { queueMutation } from '../../db/outbox';
import { JobNotFoundError, NotSignedInError } from '../../db/repository-errors';
import type { LocalJob, ReclaimDatabase } from '../../db/schema';
import { DoorRuleError, isQuotaError, RuleWarningError, StorageFullError } from './door-errors';
import type { PreparedImage } from './photo-pipeline';

export interface VisitInput {
  jobId: string;
  arrivedAt: Date;
  place: Place | null;
  contactName: string | null;
  contactMethod: ContactMethod;
  outcome: VisitOutcome;
  notes: string;
  /** The reason the agent gave for going past the contact-hours warning, if it showed. */
  contactHoursOverride?: string;
}

export interface ReconcileInput {
  jobId: string;
  visitId: string;
  itemId: string;
  status: ReconciliationStatus;
  grade: ConditionGrade | null;
  serialSeen: string | null;
  serialConfirmedBy: SerialConfirmation;
  accessoriesChecked?: boolean;
  unexpected?: UnexpectedItem | null;
  note?: string;
  staleOrderOverride?: string;
}

export interface PhotoInput {
  jobId: string;
  subject: Photo['subject'];
  subjectId: string | null;
  image: PreparedImage;
  place: Place | null;
}

export interface SignatureInput {
  jobId: string;
  signerName: string;
  signerRole: Signature['signerRole'];
  statement: string;
  image: PreparedImage;
  place: Place | null;
}

function override(rule: RuleOverride['rule'], warning: string, reason: string | undefined, at: Date): RuleOverride {
  if (!reason?.trim()) throw new RuleWarningError(rule, warning);
  return { rule, warning, reason: reason.trim(), at: at.toISOString() };
}

/**
 * The agent's door work on this device. Each write puts the row and its outbox mutation in one
 * Dexie transaction; photos and signatures also put their bytes in the blob queue in the same
 * transaction, so a row never names bytes this device does not hold.
 */
export class DoorRepository {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly now: () => Date = () => new Date(),
    private readonly staleAfterMs?: number,
  ) {}

  private async context(jobId: string): Promise<{ userId: string; job: LocalJob }> {
    const session = await readMeta(this.db, 'session');
    if (!session) throw new NotSignedInError();
    const job = await this.db.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return { userId: session.user.id, job };
  }

  /** Contact hours are checked in the job's time zone; going past them needs a recorded reason. */
  async recordVisit(input: VisitInput): Promise<Visit> {
    const { db } = this;
    return db.transaction('rw', [db.jobs, db.visits, db.outbox, db.meta], async () => {
      const { userId, job } = await this.context(input.jobId);
      const overrides: RuleOverride[] = [];
      const warning = input.contactMethod === 'none' ? null : contactHoursWarning(job.timeZone, input.arrivedAt);
      if (warning) overrides.push(override('contact_hours', warning, input.contactHoursOverride, this.now()));
      const visit = Visit.parse({
        id: newId(),
        jobId: job.id,
        arrivedAt: input.arrivedAt.toISOString(),
        departedAt: null,
        place: input.place,
        contactName: input.contactName?.trim() ? input.contactName.trim() : null,
        contactMethod: input.contactMethod,
        outcome: input.outcome,
        notes: input.notes,
        overrides,
        byUserId: userId,
      });
      await db.visits.add(visit);
      await queueMutation(db, { entity: 'visit', op: 'create', data: visit }, () => this.now().getTime());
      return visit;
    });
  }

  /**
   * The agent leaves: a departure record of its own (the visit itself is never edited once made),
   * mirrored into the local visit row so the screen shows it at once.
   */
  async recordDeparture(input: { jobId: string; visitId: string; departedAt: Date; place: Place | null }): Promise<VisitDeparture> {
    const { db } = this;
    return db.transaction('rw', [db.jobs, db.visits, db.outbox, db.meta], async () => {
      const { userId, job } = await this.context(input.jobId);
      const visit = await db.visits.get(input.visitId);
      if (!visit || visit.jobId !== job.id) throw new DoorRuleError('Log the visit before recording the departure.');
      if (visit.departedAt !== null) throw new DoorRuleError('The departure from this visit is already recorded.');
      if (input.departedAt.getTime() < Date.parse(visit.arrivedAt)) throw new DoorRuleError('The departure cannot be before the arrival.');
      const departure = VisitDeparture.parse({ id: newId(), jobId: job.id, visitId: visit.id, departedAt: input.departedAt.toISOString(), place: input.place, byUserId: userId });
      await db.visits.update(visit.id, { departedAt: departure.departedAt });
      await queueMutation(db, { entity: 'visitDeparture', op: 'create', data: departure }, () => this.now().getTime());
      return departure;
    });
  }

  /** Objection refuses a recovered item outright; a stale order needs a recorded reason first. */
  async reconcileItem(input: ReconcileInput): Promise<ItemReconciliation> {
    const { db } = this;
    return db.transaction('rw', [db.jobs, db.visits, db.itemReconciliations, db.outbox, db.meta], async () => {
      const { userId, job } = await this.context(input.jobId);
      const visit = await db.visits.get(input.visitId);
      if (!visit) throw new DoorRuleError('Log the visit before recording items.');
      const violation = objectionViolation(visit.outcome, input.status);
      if (violation) throw new DoorRuleError(violation);
      const overrides: RuleOverride[] = [];
      if (input.status === 'recovered') {
        const stale = staleOrderWarning(job.lastConfirmedAt, this.now(), this.staleAfterMs);
        if (stale) overrides.push(override('stale_order', stale, input.staleOrderOverride, this.now()));
      }
      const line = ItemReconciliation.parse({
        id: newId(),
        jobId: job.id,
        visitId: visit.id,
        itemId: input.itemId,
        status: input.status,
        grade: input.grade,
        serialSeen: input.serialSeen,
        serialConfirmedBy: input.serialConfirmedBy,
        accessoriesChecked: input.accessoriesChecked ?? false,
        unexpected: input.unexpected ?? null,
        note: input.note ?? '',
        overrides,
        at: this.now().toISOString(),
        byUserId: userId,
      });
      await db.itemReconciliations.add(line);
      await queueMutation(db, { entity: 'itemReconciliation', op: 'create', data: line }, () => this.now().getTime());
      return line;
    });
  }

  async addPhoto(input: PhotoInput): Promise<Photo> {
    const { db } = this;
    return storingEvidence(() =>
      db.transaction('rw', [db.jobs, db.photos, db.blobs, db.outbox, db.meta], async () => {
        const { userId, job } = await this.context(input.jobId);
        return storePhoto(db, input.image, { jobId: job.id, subject: input.subject, subjectId: input.subjectId, place: input.place, byUserId: userId }, this.now());
      }),
    );
  }

  async recordSignature(input: SignatureInput): Promise<Signature> {
    const { db } = this;
    return storingEvidence(() =>
      db.transaction('rw', [db.jobs, db.signatures, db.blobs, db.outbox, db.meta], async () => {
        const { userId, job } = await this.context(input.jobId);
        const signature = Signature.parse({
          id: newId(),
          jobId: job.id,
          signerName: input.signerName,
          signerRole: input.signerRole,
          statement: input.statement,
          sha256: input.image.sha256,
          mimeType: 'image/png',
          bytes: input.image.blob.size,
          signedAt: this.now().toISOString(),
          place: input.place,
          byUserId: userId,
        });
        await keepBlob(db, input.image, this.now());
        await db.signatures.add(signature);
        await queueMutation(db, { entity: 'signature', op: 'create', data: signature }, () => this.now().getTime());
        return signature;
      }),
    );
  }

}

/** Content-addressed: the same bytes twice are one blob. Call inside a transaction over db.blobs. */
/** What a photo is about, and who took it where; the prepared image brings the rest. */
export interface PhotoFacts {
  readonly jobId: string;
  readonly subject: Photo['subject'];
  readonly subjectId: string | null;
  readonly place: Place | null;
  readonly byUserId: string;
}

/**
 * Keeps a prepared image as a photo: its bytes (once per hash), its row with the thumbnail, and
 * the change that tells the server. Join a transaction over photos, blobs, outbox and meta.
 */
export async function storePhoto(db: ReclaimDatabase, image: PreparedImage, facts: PhotoFacts, now: Date): Promise<Photo> {
  const at = now.toISOString();
  const photo = Photo.parse({
    id: newId(),
    ...facts,
    sha256: image.sha256,
    mimeType: image.blob.type,
    bytes: image.blob.size,
    width: image.width,
    height: image.height,
    capturedAt: image.capturedAt ?? at,
    recordedAt: at,
  });
  await keepBlob(db, image, now);
  await db.photos.add({ ...photo, thumbnail: image.thumbnail });
  await queueMutation(db, { entity: 'photo', op: 'create', data: photo }, () => now.getTime());
  return photo;
}

export async function keepBlob(db: ReclaimDatabase, image: PreparedImage, now: Date): Promise<void> {
  if (await db.blobs.get(image.sha256)) return;
  const row: BlobRow = {
    sha256: image.sha256,
    blob: image.blob,
    mimeType: image.blob.type,
    size: image.blob.size,
    state: 'waiting',
    reason: null,
    attempts: 0,
    nextAttemptAt: 0,
    createdAt: now.toISOString(),
  };
  await db.blobs.add(row);
}

/** Runs a write that stores photo or signature bytes; a full disk becomes StorageFullError. */
export async function storingEvidence<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    // The transaction rolled back whole: the refused photo is gone, nothing else was touched.
    if (isQuotaError(error)) throw new StorageFullError();
    throw error;
  }
}
