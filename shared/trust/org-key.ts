/**
 * The organisation signing key: the one thing a stranger pins. Its fingerprint is the lowercase
 * hex SHA-256 of the raw 32-byte Ed25519 public key. It signs device certificates, log
 * checkpoints and bundle manifests. When an admin rotates it, the rotation statement is signed
 * by both the old key and the new one, so a verifier that pinned either can follow the chain and
 * records signed before the rotation still verify.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { toHex, type CustodySubtleCrypto } from '../custody/crypto-port';
import { UtcTime } from './log-leaf';
import { NoteError, openNote, signNote, type NoteSigner, type NoteVerifier } from './signed-note';
import { fromBase64, toBase64 } from './strict-bytes';

export const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'a fingerprint is 64 lowercase hex digits (SHA-256 of the raw public key)');

export const OrgSigningKeyInfo = z.strictObject({
  algorithm: z.literal('Ed25519'),
  /** Raw 32-byte public key, standard base64. */
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'an Ed25519 public key is 32 bytes of base64'),
  fingerprint: Fingerprint,
});
export type OrgSigningKeyInfo = z.infer<typeof OrgSigningKeyInfo>;

/** Every key the organisation has used, as rotation statements oldest first, and the current key. */
export const OrgKeyHistory = z.strictObject({
  organisationId: z.uuid(),
  current: OrgSigningKeyInfo,
  rotations: z.array(z.string().max(4000)).max(100),
});
export type OrgKeyHistory = z.infer<typeof OrgKeyHistory>;

export function orgKeyFingerprint(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey));
}

/** The name the key signs notes under: short enough to read on paper, unique per key. */
export function orgKeyName(fingerprint: string): string {
  return `reclaim.org/${fingerprint.slice(0, 16)}`;
}

export function orgKeyInfo(publicKey: Uint8Array): OrgSigningKeyInfo {
  return { algorithm: 'Ed25519', publicKey: toBase64(publicKey), fingerprint: orgKeyFingerprint(publicKey) };
}

export function orgKeyVerifier(publicKey: Uint8Array): NoteVerifier {
  return { name: orgKeyName(orgKeyFingerprint(publicKey)), publicKey };
}

export interface TrustedOrgKey extends NoteVerifier {
  readonly fingerprint: string;
  /** When it took over (a rotation), null for the first key. */
  readonly from: string | null;
  /** When it was retired (a rotation), null for the current key. */
  readonly until: string | null;
}

export interface OrgKeyRotation {
  readonly organisationId: string;
  readonly previous: Uint8Array;
  readonly next: Uint8Array;
  readonly at: string;
}

const rotationHeader = 'reclaim organisation key rotation';

function rotationText(rotation: OrgKeyRotation): string {
  return [
    rotationHeader,
    `organisation ${rotation.organisationId}`,
    `previous ${orgKeyFingerprint(rotation.previous)} ${toBase64(rotation.previous)}`,
    `next ${orgKeyFingerprint(rotation.next)} ${toBase64(rotation.next)}`,
    `at ${rotation.at}`,
    '',
  ].join('\n');
}

/** The rotation statement, signed by the retiring key and by its successor. */
export async function signOrgKeyRotation(rotation: OrgKeyRotation, previous: NoteSigner, next: NoteSigner): Promise<string> {
  return signNote(rotationText(rotation), [previous, next]);
}

function parseRotationText(text: string): OrgKeyRotation {
  const match = /^reclaim organisation key rotation\norganisation ([0-9a-f-]{36})\nprevious ([0-9a-f]{64}) (\S+)\nnext ([0-9a-f]{64}) (\S+)\nat (\S+)\n$/.exec(text);
  if (!match) throw new NoteError('a key rotation statement does not follow its grammar');
  const [, organisationId = '', previousFingerprint, previousKey = '', nextFingerprint, nextKey = '', at = ''] = match;
  const previous = fromBase64(previousKey, 'the previous key');
  const next = fromBase64(nextKey, 'the next key');
  if (orgKeyFingerprint(previous) !== previousFingerprint || orgKeyFingerprint(next) !== nextFingerprint) throw new NoteError('a key rotation statement names a fingerprint that is not its key');
  if (!UtcTime.safeParse(at).success) throw new NoteError('a key rotation statement has no valid time');
  const rotation = { organisationId, previous, next, at };
  if (rotationText(rotation) !== text) throw new NoteError('a key rotation statement is not in its one written form');
  return rotation;
}

export class OrgKeyTrustError extends Error {
  override readonly name = 'OrgKeyTrustError';
}

/**
 * The organisation keys a verifier may trust, given the one it pinned: the whole rotation chain
 * the pinned key belongs to, each link signed by both keys. A pin outside the chain trusts nothing.
 */
export async function trustedOrgKeys(subtle: CustodySubtleCrypto, pinnedFingerprint: string, history: OrgKeyHistory): Promise<TrustedOrgKey[]> {
  const current = fromBase64(history.current.publicKey, 'the current organisation key');
  if (orgKeyFingerprint(current) !== history.current.fingerprint) throw new OrgKeyTrustError('the current organisation key does not have the fingerprint it is listed with');
  const chain: { key: Uint8Array; from: string | null; until: string | null }[] = [];
  for (const [index, note] of history.rotations.entries()) {
    const split = note.lastIndexOf('\n\n');
    const rotation = parseRotationText(split < 0 ? note : note.slice(0, split + 1));
    if (rotation.organisationId !== history.organisationId) throw new OrgKeyTrustError(`key rotation ${index + 1} is for another organisation`);
    const opened = await openNote(subtle, note, [orgKeyVerifier(rotation.previous), orgKeyVerifier(rotation.next)]);
    const signedBy = new Set(opened.signatures.filter((signature) => signature.verifier).map((signature) => signature.name));
    if (signedBy.size !== 2) throw new OrgKeyTrustError(`key rotation ${index + 1} is not signed by both the retiring and the new key`);
    const last = chain.at(-1);
    if (last) {
      if (orgKeyFingerprint(last.key) !== orgKeyFingerprint(rotation.previous)) throw new OrgKeyTrustError(`key rotation ${index + 1} does not continue from the key before it`);
      if (last.from !== null && Date.parse(rotation.at) <= Date.parse(last.from)) throw new OrgKeyTrustError(`key rotation ${index + 1} is dated before the rotation it follows`);
      last.until = rotation.at;
    } else {
      chain.push({ key: rotation.previous, from: null, until: rotation.at });
    }
    chain.push({ key: rotation.next, from: rotation.at, until: null });
  }
  if (chain.length === 0) chain.push({ key: current, from: null, until: null });
  const newest = chain.at(-1);
  if (!newest || orgKeyFingerprint(newest.key) !== history.current.fingerprint) throw new OrgKeyTrustError('the rotation chain does not end at the current organisation key');
  const trusted = chain.map((link) => ({ ...orgKeyVerifier(link.key), fingerprint: orgKeyFingerprint(link.key), from: link.from, until: link.until }));
  if (!trusted.some((key) => key.fingerprint === pinnedFingerprint)) {
    throw new OrgKeyTrustError(`no key of this record's organisation has the pinned fingerprint ${pinnedFingerprint}; it was signed by ${history.current.fingerprint}`);
  }
  return trusted;
}

/** Whether a key was in service at a time it claims to have signed at. */
export function keyInServiceAt(key: TrustedOrgKey, at: string): boolean {
  const time = Date.parse(at);
  return (key.from === null || time >= Date.parse(key.from)) && (key.until === null || time < Date.parse(key.until));
}
