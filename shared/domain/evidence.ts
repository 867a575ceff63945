import { z } from 'zod';
import { IsoDateTime, ItemType } from './job';
import { Place, RuleOverride, Sha256Hex } from './visit';

export const reconciliationStatuses = ['recovered', 'missing', 'damaged', 'refused'] as const;
export const ReconciliationStatus = z.enum(reconciliationStatuses);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatus>;

/** A (new), B (used, works), C (worn or cosmetic damage), D (broken or parts only). */
export const conditionGrades = ['A', 'B', 'C', 'D'] as const;
export const ConditionGrade = z.enum(conditionGrades);
export type ConditionGrade = z.infer<typeof ConditionGrade>;

export const serialConfirmations = ['typed', 'scanner', 'camera', 'not_confirmed'] as const;
export const SerialConfirmation = z.enum(serialConfirmations);
export type SerialConfirmation = z.infer<typeof SerialConfirmation>;

/** An item the agent found that the order did not list. */
export const UnexpectedItem = z.object({
  type: ItemType,
  make: z.string().max(80),
  model: z.string().max(80),
  serial: z.string().min(1).max(80),
});
export type UnexpectedItem = z.infer<typeof UnexpectedItem>;

/**
 * What became of one item at one visit. `itemId` is the expected item's id, or a fresh id for
 * an unexpected item (then `unexpected` describes it). Append-only: a later reconciliation of
 * the same item supersedes an earlier one by time; none is ever edited.
 */
export const ItemReconciliation = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  visitId: z.uuid(),
  itemId: z.uuid(),
  status: ReconciliationStatus,
  grade: ConditionGrade.nullable(),
  serialSeen: z.string().max(80).nullable(),
  serialConfirmedBy: SerialConfirmation,
  accessoriesChecked: z.boolean(),
  unexpected: UnexpectedItem.nullable(),
  note: z.string().max(2000),
  overrides: z.array(RuleOverride).max(5),
  at: IsoDateTime,
  byUserId: z.uuid(),
});
export type ItemReconciliation = z.infer<typeof ItemReconciliation>;

export const photoSubjects = ['job', 'item', 'serial_plate', 'visit', 'custody_event', 'personal_property'] as const;
export const PhotoSubject = z.enum(photoSubjects);

/** A photo's facts; the bytes travel separately as a content-addressed blob named by sha256. */
export const Photo = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  subject: PhotoSubject,
  /** The visit, item or custody event the photo is about; null for the job itself. */
  subjectId: z.uuid().nullable(),
  sha256: Sha256Hex,
  mimeType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: z.number().int().positive(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** From the file (EXIF/lastModified) when it had one; else when it was taken here. */
  capturedAt: IsoDateTime,
  recordedAt: IsoDateTime,
  place: Place.nullable(),
  byUserId: z.uuid(),
});
export type Photo = z.infer<typeof Photo>;

export const signerRoles = ['customer', 'agent', 'warehouse_clerk', 'carrier'] as const;
export const SignerRole = z.enum(signerRoles);
export type SignerRole = z.infer<typeof SignerRole>;

export const Signature = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  signerName: z.string().trim().min(2, 'print the signer\'s name').max(200),
  signerRole: SignerRole,
  /** The words the signer agreed to: what items, from whom, to whom. */
  statement: z.string().trim().min(10).max(2000),
  sha256: Sha256Hex,
  mimeType: z.literal('image/png'),
  bytes: z.number().int().positive(),
  signedAt: IsoDateTime,
  place: Place.nullable(),
  byUserId: z.uuid(),
});
export type Signature = z.infer<typeof Signature>;
