import { z } from 'zod';
import { IsoDateTime } from '../domain/job';
import { Place, Sha256Hex } from '../domain/visit';

export const custodyEventKinds = ['collected', 'transferred', 'received', 'sealed', 'returned_to_client', 'disposed'] as const;
export const CustodyEventKind = z.enum(custodyEventKinds);
export type CustodyEventKind = z.infer<typeof CustodyEventKind>;

export const partyRoles = ['customer', 'agent', 'carrier', 'warehouse', 'client', 'disposer'] as const;
export const CustodyParty = z.object({
  role: z.enum(partyRoles),
  name: z.string().trim().min(1).max(200),
  /** The Reclaim user, when the party is one (agent, warehouse clerk). */
  userId: z.uuid().nullable(),
});
export type CustodyParty = z.infer<typeof CustodyParty>;

export const CustodyItem = z.object({
  itemId: z.uuid(),
  serial: z.string().min(1).max(80),
  /** The hash of the previous event that covered this item; null only for its first event. */
  previousEventHash: Sha256Hex.nullable(),
});
export type CustodyItem = z.infer<typeof CustodyItem>;

/** Bumped only with a new hashing scheme; verifiers pick the scheme by this value. */
export const CUSTODY_SCHEME = 'reclaim-custody-v1';

/** Everything the hash covers. Photos and signatures are covered through their own SHA-256. */
export const CustodyEventContent = z.object({
  scheme: z.literal(CUSTODY_SCHEME),
  id: z.uuid(),
  jobId: z.uuid(),
  kind: CustodyEventKind,
  at: IsoDateTime,
  place: Place.nullable(),
  from: CustodyParty,
  to: CustodyParty,
  items: z.array(CustodyItem).min(1).max(100),
  sealNumber: z.string().trim().min(1).max(80).nullable(),
  photoHashes: z.array(Sha256Hex).max(50),
  signatureHashes: z.array(Sha256Hex).max(10),
  /** A recorded event is never edited; a correction is a new event naming the one it corrects. */
  correctsEventId: z.uuid().nullable(),
  note: z.string().max(2000),
  deviceId: z.string().min(1).max(64),
  deviceKeyId: z.uuid(),
  recordedByUserId: z.uuid(),
});
export type CustodyEventContent = z.infer<typeof CustodyEventContent>;

export const CustodyEvent = CustodyEventContent.extend({
  /** SHA-256 (hex) of the RFC 8785 form of the content. */
  hash: Sha256Hex,
  /** Ed25519 signature over the 32 hash bytes, unpadded base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature is 64 bytes'),
});
export type CustodyEvent = z.infer<typeof CustodyEvent>;

/**
 * The same event, refusing every field it does not define, at every depth: a verifier of exact
 * bytes must not let `"disposition":"destroyed"` ride along unsigned beside a signed event. The
 * lenient CustodyEvent stays for sync, where older and newer apps meet.
 */
export const StrictCustodyEvent = z.strictObject({
  ...CustodyEvent.shape,
  place: z.strictObject(Place.shape).nullable(),
  from: z.strictObject(CustodyParty.shape),
  to: z.strictObject(CustodyParty.shape),
  items: z.array(z.strictObject(CustodyItem.shape)).min(1).max(100),
});

/** A device's public signing key, registered with the server after sign-in. */
export const DeviceKey = z.object({
  id: z.uuid(),
  deviceId: z.string().min(1).max(64),
  userId: z.uuid(),
  algorithm: z.literal('Ed25519'),
  /** Raw 32-byte public key, unpadded base64url. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an Ed25519 public key is 32 bytes'),
  createdAt: IsoDateTime,
});
export type DeviceKey = z.infer<typeof DeviceKey>;

export function custodyContentOf(event: CustodyEvent): CustodyEventContent {
  const { hash: _hash, signature: _signature, ...content } = event;
  return content;
}
