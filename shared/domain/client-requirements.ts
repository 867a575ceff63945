import { z } from 'zod';
import { readRefusalNote, refusalInWords, refusalKindWords, type CustomerRefusal } from './customer-refusal';
import type { ItemReconciliation, Photo, Signature } from './evidence';

/** The proof a lessor demands before a job may be closed; set per client by office users. */
export const ClientRequirements = z.object({
  serialPlatePhotoPerRecoveredItem: z.boolean(),
  customerSignature: z.boolean(),
  conditionGradePerRecoveredItem: z.boolean(),
  accessoriesChecked: z.boolean(),
});
export type ClientRequirements = z.infer<typeof ClientRequirements>;

/** What a client that set nothing gets: the customer's signature, the common minimum. */
export const defaultClientRequirements: ClientRequirements = {
  serialPlatePhotoPerRecoveredItem: false,
  customerSignature: true,
  conditionGradePerRecoveredItem: false,
  accessoriesChecked: false,
};

export type RequirementKey = keyof ClientRequirements;

export interface ChecklistLine {
  readonly key: RequirementKey;
  readonly label: string;
  readonly met: boolean;
  /** What is still missing, in words, when not met. */
  readonly missing: string | null;
  /** Why it is gone past on the record (a customer's refusal to sign), when it is; not met all the same. */
  readonly override?: string | null;
}

export interface JobEvidence {
  /** Latest reconciliation per item (callers pass the effective ones). */
  readonly reconciliations: readonly ItemReconciliation[];
  readonly photos: readonly Photo[];
  readonly signatures: readonly Signature[];
}

/** Only items physically taken need proof of their own; a missing item has no plate to photograph. */
function taken(evidence: JobEvidence): ItemReconciliation[] {
  return evidence.reconciliations.filter((line) => line.status === 'recovered' || line.status === 'damaged');
}

export function evaluateChecklist(requirements: ClientRequirements, evidence: JobEvidence): ChecklistLine[] {
  const lines: ChecklistLine[] = [];
  const items = taken(evidence);
  if (requirements.serialPlatePhotoPerRecoveredItem) {
    const photographed = new Set(evidence.photos.filter((photo) => photo.subject === 'serial_plate').map((photo) => photo.subjectId));
    const without = items.filter((item) => !photographed.has(item.itemId));
    lines.push({
      key: 'serialPlatePhotoPerRecoveredItem',
      label: 'A photo of each recovered item\'s serial plate',
      met: without.length === 0,
      missing: without.length === 0 ? null : `${without.length} recovered item${without.length === 1 ? '' : 's'} without a serial-plate photo`,
    });
  }
  if (requirements.customerSignature) {
    const signed = evidence.signatures.some((signature) => signature.signerRole === 'customer');
    lines.push({ key: 'customerSignature', label: "The customer's signature", met: signed, missing: signed ? null : 'no customer signature yet' });
  }
  if (requirements.conditionGradePerRecoveredItem) {
    const ungraded = items.filter((item) => item.grade === null).length;
    lines.push({
      key: 'conditionGradePerRecoveredItem',
      label: 'A condition grade for each recovered item',
      met: ungraded === 0,
      missing: ungraded === 0 ? null : `${ungraded} recovered item${ungraded === 1 ? '' : 's'} not graded`,
    });
  }
  if (requirements.accessoriesChecked) {
    const unchecked = items.filter((item) => !item.accessoriesChecked).length;
    lines.push({
      key: 'accessoriesChecked',
      label: 'Accessories (power supply, remote, keys) checked',
      met: unchecked === 0,
      missing: unchecked === 0 ? null : `accessories not checked on ${unchecked} item${unchecked === 1 ? '' : 's'}`,
    });
  }
  return lines;
}

/** The job may close when every line is met, or when the agent overrides with a recorded reason. */
export function checklistBlocksClosing(lines: readonly ChecklistLine[]): boolean {
  return lines.some((line) => !line.met && !line.override);
}

/**
 * The checklist with a customer's refusal to sign taken as the override of the signature line,
 * its reason shown there; the line stays unmet (there is no signature), it no longer blocks.
 */
export function withRefusal(lines: readonly ChecklistLine[], refusal: Pick<CustomerRefusal, 'kind' | 'reason'> | null): ChecklistLine[] {
  if (refusal === null) return [...lines];
  return lines.map((line) =>
    line.key === 'customerSignature' && !line.met ? { ...line, override: `${refusalKindWords[refusal.kind]}: ${refusal.reason.trim()}` } : line,
  );
}

/** The requirements a job is held to: the client's own when the job carries them, else the default. */
export function requirementsOf(job: { readonly clientRequirements?: ClientRequirements | undefined }): ClientRequirements {
  return job.clientRequirements ?? defaultClientRequirements;
}

export const MIN_OVERRIDE_REASON = 3;

/** How every override note begins, so the server can tell one from any other note. */
const OVERRIDE_PREFIX = 'Client requirements overridden.';

/**
 * The words kept on the record when the agent closes past unmet requirements: what was missing
 * and why they went ahead. Null when nothing is missing; throws when a reason is needed and
 * none was given, so no caller can close an unmet checklist silently.
 */
export function checklistOverrideNote(lines: readonly ChecklistLine[], reason: string | null | undefined): string | null {
  const missing = lines.filter((line) => !line.met && !line.override);
  if (missing.length === 0) return null;
  const why = reason?.trim() ?? '';
  if (why.length < MIN_OVERRIDE_REASON) throw new ChecklistNotMetError(missing);
  return overrideText(missing, why);
}

function missingWords(missing: readonly ChecklistLine[]): string {
  return missing.map((line) => line.missing ?? line.label).join('; ');
}

function overrideText(missing: readonly ChecklistLine[], why: string): string {
  return `${OVERRIDE_PREFIX} Missing: ${missingWords(missing)}. Reason: ${why}`;
}

/** The override note in a note the app wrote (a collection event's), or null when it is another note. */
export function overrideNoteIn(note: string | null | undefined): string | null {
  const refusal = readRefusalNote(note);
  if (refusal !== null) return refusalOverrideText(refusal);
  const text = note?.trim() ?? '';
  return text.startsWith(OVERRIDE_PREFIX) ? text : null;
}

/** A refusal to sign read as the override it is: the signature missing, the refusal's reason the reason. */
function refusalOverrideText(refusal: CustomerRefusal): string {
  const missing = [`no customer signature (${refusalInWords(refusal)})`, ...(refusal.otherMissing ? [refusal.otherMissing] : [])];
  return `${OVERRIDE_PREFIX} Missing: ${missing.join('; ')}. Reason: ${refusal.reason}`;
}

const UNMET_FLAG_START = "Closed without the client's requirements:";
const UNMET_FLAG_END = '; no reason was recorded.';
const unmetFlagPattern = /Closed without the client's requirements: .*?; no reason was recorded\./;

/**
 * What the server makes of a job closed in the field, held to the evidence it holds itself:
 * the checklist is met; or it was gone past with a recorded reason (`note`, kept in the history);
 * or neither, and the close still stands (a field fact is never refused) but the job goes to the
 * dispatcher with `flag`, naming what is missing. `recorded` is what came with the close: an
 * override note the app wrote, or a plain reason.
 */
export type ClosingReview =
  | { readonly kind: 'met' }
  | { readonly kind: 'overridden'; readonly note: string }
  | { readonly kind: 'unmet'; readonly flag: string };

export function reviewClosing(lines: readonly ChecklistLine[], recorded: string | null | undefined): ClosingReview {
  const missing = lines.filter((line) => !line.met);
  if (missing.length === 0) return { kind: 'met' };
  const note = overrideNoteIn(recorded);
  if (note !== null) return { kind: 'overridden', note };
  const why = recorded?.trim() ?? '';
  if (why.length >= MIN_OVERRIDE_REASON) return { kind: 'overridden', note: overrideText(missing, why) };
  return { kind: 'unmet', flag: `${UNMET_FLAG_START} ${missingWords(missing)}${UNMET_FLAG_END}` };
}

/** The unmet-checklist sentence in a job's review reason, if the server put one there. */
export function checklistFlagIn(reviewReason: string | null): string | null {
  return reviewReason?.match(unmetFlagPattern)?.[0] ?? null;
}

/**
 * A review reason with the unmet-checklist sentence replaced (by `next`) or taken out (null),
 * leaving any other reason (an objection, a moved job) as it was; null when nothing is left.
 */
export function replaceChecklistFlag(reviewReason: string | null, next: string | null): string | null {
  const current = checklistFlagIn(reviewReason);
  if (reviewReason === null || current === null) return next === null ? reviewReason : joinReasons(reviewReason, next);
  const replaced = reviewReason.replace(current, next ?? '').replace(/\s{2,}/g, ' ').trim();
  return replaced === '' ? null : replaced;
}

/** Appends a review sentence to what the dispatcher already has to look at, once. */
export function joinReasons(existing: string | null, reason: string): string {
  if (existing === null || existing === '') return reason;
  return existing.includes(reason) ? existing : `${existing} ${reason}`;
}

/** The client's checklist is not met and the agent gave no reason to go ahead. */
export class ChecklistNotMetError extends Error {
  constructor(readonly missing: readonly ChecklistLine[]) {
    super(`The client's requirements are not met: ${missingWords(missing)}. Capture the evidence, or give a reason to go ahead without it.`);
    this.name = 'ChecklistNotMetError';
  }
}

/** The latest reconciliation of each item: later records supersede earlier ones, none are edited. */
export function effectiveReconciliations(all: readonly ItemReconciliation[]): ItemReconciliation[] {
  const latest = new Map<string, ItemReconciliation>();
  for (const line of [...all].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))) latest.set(line.itemId, line);
  return [...latest.values()];
}
