import { z } from 'zod';
import { IsoDateTime } from './job';

export const visitOutcomes = [
  'recovered',
  'partial',
  'nobody_home',
  'refused_objection',
  'not_at_address',
  'unsafe',
  'customer_paid',
  'wrong_address',
] as const;
export const VisitOutcome = z.enum(visitOutcomes);
export type VisitOutcome = z.infer<typeof VisitOutcome>;

export const contactMethods = ['door', 'phone', 'notice_left', 'none'] as const;
export const ContactMethod = z.enum(contactMethods);
export type ContactMethod = z.infer<typeof ContactMethod>;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits');

/** Where something was recorded; null when the platform could not tell (no fix, refused). */
export const Place = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracyM: z.number().nonnegative().nullable(),
});
export type Place = z.infer<typeof Place>;

/** A warning the agent saw and chose to go past: kept with the record as proof of the choice. */
export const RuleOverride = z.object({
  rule: z.enum(['contact_hours', 'stale_order', 'client_requirements']),
  warning: z.string().min(1).max(500),
  reason: z.string().trim().min(3, 'say why you went ahead').max(500),
  at: IsoDateTime,
});
export type RuleOverride = z.infer<typeof RuleOverride>;

/**
 * One attempt at the door. Append-only: a visit is never edited after it syncs; departure is
 * recorded on the same device before the visit leaves the outbox or as a later visit note.
 */
export const Visit = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  arrivedAt: IsoDateTime,
  departedAt: IsoDateTime.nullable(),
  place: Place.nullable(),
  contactName: z.string().max(200).nullable(),
  contactMethod: ContactMethod,
  outcome: VisitOutcome,
  notes: z.string().max(5000),
  overrides: z.array(RuleOverride).max(5),
  byUserId: z.uuid(),
});
export type Visit = z.infer<typeof Visit>;

/**
 * When the agent left the address, recorded as its own append-only record so a visit that has
 * already synced is never edited. The server folds it into the visit's `departedAt` when it
 * sends the visit, so laptops of any version read it where they already look.
 */
export const VisitDeparture = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  visitId: z.uuid(),
  departedAt: IsoDateTime,
  place: Place.nullable(),
  byUserId: z.uuid(),
});
export type VisitDeparture = z.infer<typeof VisitDeparture>;

/** Objection (UCC 9-609): the agent stops, and the dispatcher decides what happens next. */
export function visitNeedsReview(visit: Pick<Visit, 'outcome'>): string | null {
  if (visit.outcome === 'refused_objection') return 'The customer objected at the door; recovery stopped. Decide next steps (e.g. legal action).';
  if (visit.outcome === 'unsafe') return 'The agent left because the site was unsafe.';
  return null;
}
