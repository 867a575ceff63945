/**
 * What the bundle verifier answers, at every door (command line, app, tests): one status, what
 * was checked, and at the first failure exactly what and where (file, event, field, expected
 * and found), because "invalid bundle" alone helps no one in court.
 */
import type { z } from 'zod';
import type { ZipRefusalCode } from './zip-limits';

/**
 * intact: everything verifies against the pinned organisation. unpinned: everything that does
 * not need a pin verifies, but no organisation was pinned, so nothing ties the record to one.
 * tampered: something was changed, added, removed or forged. unreadable: not a bundle this
 * verifier can read within its limits.
 */
export type BundleStatus = 'intact' | 'tampered' | 'unreadable' | 'unpinned';

export type BundleProblemCode =
  | ZipRefusalCode
  | 'missing_file'
  | 'not_canonical'
  | 'schema'
  | 'org_keys'
  | 'foreign_organisation'
  | 'manifest_signature'
  | 'manifest'
  | 'unlisted_file'
  | 'file_changed'
  | 'readme'
  | 'checkpoint'
  | 'certificate'
  | 'event_schema'
  | 'event_hash'
  | 'event_signature'
  | 'log_leaf'
  | 'log_proof'
  | 'chain'
  | 'correction'
  | 'evidence'
  | 'job'
  | 'head'
  /** A signed PDF report whose own signature does not hold (shared/trust/verify-report.ts). */
  | 'pdf_signature';

export interface BundleProblem {
  readonly code: BundleProblemCode;
  /** The file of the bundle it is in (or the zip entry), when there is one. */
  readonly file: string | null;
  /** 1-based position in events.json. */
  readonly eventNumber: number | null;
  readonly eventId: string | null;
  /** The field, as a path (items.0.serial), when one field is at fault. */
  readonly field: string | null;
  readonly expected: string | null;
  readonly found: string | null;
  /** A sentence for a person: what is wrong, and what it means. */
  readonly reason: string;
}

/** Who signed one event, with which certified device, and when the log accepted it. */
export interface EventSigner {
  readonly eventNumber: number;
  readonly eventId: string;
  readonly kind: string;
  readonly jobId: string;
  /** The device's own clock when it recorded the event. */
  readonly at: string;
  /** The server's clock when the log accepted it. */
  readonly loggedAt: string;
  readonly deviceId: string;
  readonly deviceKeyId: string;
  readonly certificateSerial: string;
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string;
  readonly role: string;
}

export interface BundleSummary {
  readonly organisation: { readonly id: string | null; readonly fingerprint: string | null; readonly pinned: string | null };
  readonly generatedAt: string | null;
  readonly generatedBy: { readonly userId: string; readonly name: string; readonly role: string } | null;
  readonly jobs: readonly { readonly id: string; readonly accountRef: string; readonly timeZone: string }[];
  readonly events: number;
  readonly items: number;
  readonly checkpoint: { readonly size: number; readonly time: string } | null;
  readonly signers: readonly EventSigner[];
  /** Photos and signatures the organisation said it did not hold when it exported. */
  readonly evidenceNotHeld: readonly string[];
}

export interface BundleVerdict {
  readonly status: BundleStatus;
  /** What was checked and held, in order; on failure, up to the failing check. */
  readonly checks: readonly string[];
  readonly problem: BundleProblem | null;
  readonly summary: BundleSummary;
}

/** A pin: the fingerprint of the organisation key the verifier trusts, or none. */
export type BundlePin = { readonly fingerprint: string } | null;

/** Thrown inside the verifier at the first failure; it never escapes verifyCustodyBundle. */
export class BundleFailure extends Error {
  override readonly name = 'BundleFailure';
  constructor(
    readonly status: 'tampered' | 'unreadable',
    readonly problem: BundleProblem,
  ) {
    super(problem.reason);
  }
}

export interface ProblemPlace {
  readonly file?: string | null;
  readonly eventNumber?: number | null;
  readonly eventId?: string | null;
  readonly field?: string | null;
  readonly expected?: string | null;
  readonly found?: string | null;
}

export function tamperedAt(code: BundleProblemCode, reason: string, place: ProblemPlace = {}): BundleFailure {
  return new BundleFailure('tampered', {
    code,
    file: place.file ?? null,
    eventNumber: place.eventNumber ?? null,
    eventId: place.eventId ?? null,
    field: place.field ?? null,
    expected: place.expected ?? null,
    found: place.found ?? null,
    reason,
  });
}

/** The field a zod error is about, as a dotted path, with the offending unknown key if any. */
export function issueField(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: '', message: 'it does not match its schema' };
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return { field: [...path, key].join('.'), message: `"${key}" is not a field it defines` };
  }
  return { field: path.join('.'), message: issue.message };
}

export function short(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 12)}…` : hash;
}
