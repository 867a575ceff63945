import { z } from 'zod';
import { IsoDateTime } from './job';
import { Place, Sha256Hex } from './visit';

/**
 * Personal property: the customer's belongings found in or with recovered equipment (papers in
 * a copier, tools in a vehicle, a phone in a laptop bag). They are not the lessor's: the agency
 * lists them, photographs them, keeps them safe and offers them back, and never holds them for
 * a fee. The record is what protects the agency when the customer later says something was
 * missing.
 *
 * Append-only like custody: the entry says what was found; every later change of hands is a new
 * event. Nothing is edited, so two devices can only hold different subsets of the same trail.
 */
export const PersonalPropertyEntry = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  /** The recovered item it was found in or with; null when it was found loose at the address. */
  itemId: z.uuid().nullable(),
  description: z.string().trim().min(2, 'say what was found').max(500),
  foundWhere: z.string().trim().min(2, 'say where it was found (e.g. "in the copier\'s paper tray")').max(200),
  /** The photos' bytes by SHA-256; the photos themselves are ordinary photo records of subject personal_property. */
  photoHashes: z.array(Sha256Hex).max(12),
  foundAt: IsoDateTime,
  place: Place.nullable(),
  byUserId: z.uuid(),
});
export type PersonalPropertyEntry = z.infer<typeof PersonalPropertyEntry>;

export const returnMethods = ['handed_over', 'collected_by_customer', 'shipped'] as const;
export const ReturnMethod = z.enum(returnMethods);
export type ReturnMethod = z.infer<typeof ReturnMethod>;

const eventFields = {
  id: z.uuid(),
  propertyId: z.uuid(),
  jobId: z.uuid(),
  at: IsoDateTime,
  place: Place.nullable(),
  note: z.string().max(1000),
  byUserId: z.uuid(),
};

/** One change of hands. `kind` names the state the belongings are in afterwards. */
export const PersonalPropertyEvent = z.discriminatedUnion('kind', [
  z.object({
    ...eventFields,
    kind: z.literal('stored'),
    /** Where it is kept, precise enough to find it again (e.g. "Warehouse shelf B4, bag 17"). */
    location: z.string().trim().min(2, 'say where it is stored').max(200),
  }),
  z.object({
    ...eventFields,
    kind: z.literal('returned'),
    returnedTo: z.string().trim().min(2, 'print the name of the person it was returned to').max(200),
    method: ReturnMethod,
    /** The receiver's signature (a signature record's bytes), when they signed for it. */
    signatureHash: Sha256Hex.nullable(),
  }),
  z.object({
    ...eventFields,
    kind: z.literal('released'),
    /** Someone other than the customer: the police, a person the customer named in writing. */
    releasedTo: z.string().trim().min(2, 'say who it was released to').max(200),
    reason: z.string().trim().min(3, 'say why it was released').max(1000),
  }),
  z.object({
    ...eventFields,
    kind: z.literal('disposed'),
    reason: z.string().trim().min(10, 'give the reason it was disposed of (e.g. unclaimed after the notice period)').max(1000),
  }),
]);
export type PersonalPropertyEvent = z.infer<typeof PersonalPropertyEvent>;
export type PersonalPropertyEventKind = PersonalPropertyEvent['kind'];

/** 'held': with whoever found it, since no event followed the entry yet; otherwise the last event's kind. */
export const personalPropertyStatuses = ['held', 'stored', 'returned', 'released', 'disposed'] as const satisfies readonly ('held' | PersonalPropertyEventKind)[];
export const PersonalPropertyStatus = z.enum(personalPropertyStatuses);
export type PersonalPropertyStatus = z.infer<typeof PersonalPropertyStatus>;

const finalStatuses: ReadonlySet<PersonalPropertyStatus> = new Set(['returned', 'released', 'disposed']);

export function isFinalPropertyStatus(status: PersonalPropertyStatus): boolean {
  return finalStatuses.has(status);
}

/**
 * Why `kind` cannot follow `status`, in words; null when it may. Belongings leave our hands
 * once (returned, released or disposed). Disposal comes only after they were stored, so they
 * were kept and could be offered back first; storing again records a move to a new place.
 */
export function propertyTransitionProblem(status: PersonalPropertyStatus, kind: PersonalPropertyEventKind): string | null {
  if (status === 'returned') return 'These belongings were already returned to the customer.';
  if (status === 'released') return 'These belongings were already released.';
  if (status === 'disposed') return 'These belongings were already disposed of.';
  if (kind === 'disposed' && status !== 'stored') return 'Belongings can be disposed of only after they were stored and offered back; mark them stored first.';
  return null;
}

export function allowedPropertyEvents(status: PersonalPropertyStatus): PersonalPropertyEventKind[] {
  const kinds: PersonalPropertyEventKind[] = ['stored', 'returned', 'released', 'disposed'];
  return kinds.filter((kind) => propertyTransitionProblem(status, kind) === null);
}

export interface PersonalPropertyState {
  readonly status: PersonalPropertyStatus;
  /** Where it is kept, while stored. */
  readonly location: string | null;
  /** The events that made the state, oldest first. */
  readonly trail: readonly PersonalPropertyEvent[];
  /**
   * Events that cannot follow the ones before them: two devices recorded different fates for
   * the same belongings. They are kept (each was a fact somebody recorded) and shown for review.
   */
  readonly conflicts: readonly PersonalPropertyEvent[];
}

const inTrailOrder = (a: PersonalPropertyEvent, b: PersonalPropertyEvent) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * The belongings' state from their events, in time order (id breaks ties). The order is the
 * events' own, never the order they arrived in, so every device and the server reach the same
 * state from the same events.
 */
export function propertyState(events: readonly PersonalPropertyEvent[]): PersonalPropertyState {
  let status: PersonalPropertyStatus = 'held';
  let location: string | null = null;
  const trail: PersonalPropertyEvent[] = [];
  const conflicts: PersonalPropertyEvent[] = [];
  for (const event of [...events].sort(inTrailOrder)) {
    if (propertyTransitionProblem(status, event.kind) !== null) {
      conflicts.push(event);
      continue;
    }
    trail.push(event);
    status = event.kind;
    location = event.kind === 'stored' ? event.location : null;
  }
  return { status, location, trail, conflicts };
}
