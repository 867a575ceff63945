import { z } from 'zod';
import { canonicalize } from '../custody/canonical-json';

/**
 * A customer who will not (or cannot) sign at the door. The collection is still a fact; it is
 * recorded with the customer as the `from` party by name, without their signature, and this
 * refusal travels in the event's note as RFC 8785 JSON behind a fixed prefix, so the event's
 * hash and signature cover it and every existing verifier checks it unchanged.
 */
// Spelt out here rather than imported: client-requirements reads refusals, and the domain module
// that owns Sha256Hex imports client-requirements (through job.ts).
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 is 64 lower-case hex digits');

export const RefusalKind = z.enum(['declined', 'cannot_sign']);
export type RefusalKind = z.infer<typeof RefusalKind>;

export const CustomerRefusal = z.object({
  kind: RefusalKind,
  customerName: z.string().trim().min(2).max(200),
  reason: z.string().trim().min(3).max(500),
  /** The words the agent attested to, as shown to them when they ticked the attestation. */
  attestation: z.string().trim().min(10).max(600),
  agentName: z.string().trim().min(1).max(200),
  witnessName: z.string().trim().min(2).max(200).nullable(),
  /** Photos of the refusal (a subset of the event's own photo hashes). */
  photoHashes: z.array(Sha256Hex).max(20),
  /** What else of the client's checklist was missing, in words; null when only the signature was. */
  otherMissing: z.string().max(1200).nullable(),
});
export type CustomerRefusal = z.infer<typeof CustomerRefusal>;

export const REFUSAL_NOTE_PREFIX = 'reclaim-refusal-v1 ';

export const refusalKindWords: Record<RefusalKind, string> = {
  declined: 'Customer declined to sign',
  cannot_sign: 'Customer could not sign',
};

/** What the agent ticks: they saw the refusal and the items were collected. */
export function refusalAttestation(agentName: string, customerName: string, kind: RefusalKind): string {
  const what = kind === 'declined' ? 'declined to sign for the collection' : 'could not sign for the collection';
  return `I, ${agentName}, attest that ${customerName} ${what} and that the items listed were collected in their presence.`;
}

/** Throws the first problem in words; the note must fit the event's 2,000-character note. */
export function refusalNote(refusal: CustomerRefusal): string {
  const parsed = CustomerRefusal.safeParse(refusal);
  if (!parsed.success) throw new Error(`The refusal is incomplete: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}.`);
  const note = `${REFUSAL_NOTE_PREFIX}${canonicalize(parsed.data)}`;
  if (note.length > 2000) throw new Error('The refusal is too long to record: shorten the reason.');
  return note;
}

/** The refusal in a collection's note, or null when the note is anything else (or malformed). */
export function readRefusalNote(note: string | null | undefined): CustomerRefusal | null {
  if (!note?.startsWith(REFUSAL_NOTE_PREFIX)) return null;
  try {
    const parsed = CustomerRefusal.safeParse(JSON.parse(note.slice(REFUSAL_NOTE_PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** "Customer declined to sign: <reason>; attested by <agent>; witness <name>". */
export function refusalInWords(refusal: CustomerRefusal): string {
  const photos = refusal.photoHashes.length === 0 ? '' : `; ${refusal.photoHashes.length} photo${refusal.photoHashes.length === 1 ? '' : 's'}`;
  return `${refusalKindWords[refusal.kind]}: ${refusal.reason}; attested by ${refusal.agentName}; ${refusal.witnessName ? `witness ${refusal.witnessName}` : 'no witness'}${photos}`;
}

const TYPED_MARK = 'Signed by typing the name and ticking acceptance of this statement.';

/**
 * A signature given by typing the name instead of drawing it (the accessible way): the signer's
 * explicit acceptance is recorded in the signed statement itself, so the signature record stays
 * as every server and client already parse it and it is marked as typed wherever it is read.
 */
export function typedSignatureStatement(statement: string): string {
  const words = statement.trim();
  return words.endsWith(TYPED_MARK) ? words : `${words} ${TYPED_MARK}`;
}

export function isTypedSignature(signature: { readonly statement: string }): boolean {
  return signature.statement.trim().endsWith(TYPED_MARK);
}
