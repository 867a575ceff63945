import { z } from 'zod';
import { canonicalize } from '../custody/canonical-json';
import type { CustodyEventKind } from '../custody/custody-event';
import type { ItemType } from '../domain/job';

export const dispositions = ['returned_to_client', 'redeployed', 'remarketed', 'recycled', 'destroyed'] as const;
export const Disposition = z.enum(dispositions);
export type Disposition = z.infer<typeof Disposition>;

/** Items that may hold someone's data: their disposal needs a sanitization certificate. */
export const dataBearingTypes: readonly ItemType[] = ['laptop', 'desktop', 'phone', 'tablet', 'copier', 'printer', 'medical_device'];

const Person = z.object({
  name: z.string().trim().min(1).max(100),
  title: z.string().trim().max(60).default(''),
  organization: z.string().trim().max(100).default(''),
  location: z.string().trim().max(100).default(''),
  phone: z.string().trim().max(30).default(''),
});

/**
 * The fields of NIST SP 800-88 Rev. 1, Appendix G (sample certificate of sanitization), in
 * short form so the whole certificate fits the custody event it is sealed into.
 */
export const SanitizationCertificate = z.object({
  performedBy: Person,
  media: z.object({
    type: z.string().trim().min(1).max(40), // e.g. SSD, HDD, eMMC, NVRAM
    make: z.string().trim().max(60).default(''),
    model: z.string().trim().max(80).default(''),
    serial: z.string().trim().max(80).default(''),
    propertyNumber: z.string().trim().max(40).default(''),
    source: z.string().trim().max(80).default(''), // the device the media came from
    classification: z.string().trim().max(40).default(''),
    dataBackedUp: z.enum(['yes', 'no', 'unknown']).default('unknown'),
  }),
  sanitization: z.object({
    method: z.enum(['clear', 'purge', 'destroy']),
    technique: z.string().trim().min(1).max(60), // e.g. overwrite, block erase, crypto erase, shred, incinerate
    tool: z.string().trim().max(80).default(''), // tool used, with version
    verification: z.enum(['full', 'quick_sampling', 'other']),
    postConfidentiality: z.string().trim().max(40).default(''),
    destination: z.string().trim().max(100).default(''),
    notes: z.string().trim().max(200).default(''),
  }),
  validatedBy: Person.extend({ date: z.iso.date() }),
});
export type SanitizationCertificate = z.infer<typeof SanitizationCertificate>;

export const DispositionRequest = z.object({
  disposition: Disposition,
  /** Who received the item: the client's returns dock, the recycler, the buyer. */
  toName: z.string().trim().min(1).max(200),
  note: z.string().trim().max(300).default(''),
  certificate: SanitizationCertificate.nullable().default(null),
});
export type DispositionRequest = z.infer<typeof DispositionRequest>;

/** The custody kind each disposition is recorded as; the exact disposition is in the sealed note. */
export const dispositionKind: Record<Disposition, CustodyEventKind> = {
  returned_to_client: 'returned_to_client',
  redeployed: 'transferred',
  remarketed: 'transferred',
  recycled: 'disposed',
  destroyed: 'disposed',
};

export const DISPOSITION_NOTE_PREFIX = 'reclaim-disposition-v1 ';

/**
 * The disposition and its certificate travel in the event's note as RFC 8785 JSON, so they are
 * covered by the event's hash and signature and every existing verifier checks them unchanged.
 */
export function dispositionNote(request: DispositionRequest): string {
  return `${DISPOSITION_NOTE_PREFIX}${canonicalize({ disposition: request.disposition, note: request.note, certificate: request.certificate })}`;
}

export function readDispositionNote(note: string): { disposition: Disposition; note: string; certificate: SanitizationCertificate | null } | null {
  if (!note.startsWith(DISPOSITION_NOTE_PREFIX)) return null;
  try {
    const parsed = z.object({ disposition: Disposition, note: z.string(), certificate: SanitizationCertificate.nullable() }).safeParse(JSON.parse(note.slice(DISPOSITION_NOTE_PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function needsCertificate(disposition: Disposition, type: ItemType | null): boolean {
  return disposition !== 'returned_to_client' && type !== null && dataBearingTypes.includes(type);
}
