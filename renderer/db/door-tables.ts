import type { CustodyEvent } from '../../shared/custody/custody-event';
import type { CustomerReceipt } from '../../shared/domain/customer-receipt';
import type { ItemReconciliation, Photo, Signature } from '../../shared/domain/evidence';
import type { PersonalPropertyEntry, PersonalPropertyEvent } from '../../shared/domain/personal-property';
import type { Visit } from '../../shared/domain/visit';

/** Row types of the door-work tables (Dexie version 3). */
export type VisitRow = Visit;
export type ItemReconciliationRow = ItemReconciliation;

/** A photo's facts plus a small thumbnail for lists; the full bytes live in `blobs` by hash. */
export interface PhotoRow extends Photo {
  thumbnail: Blob | null;
}

export type SignatureRow = Signature;

export type CustodyEventRow = CustodyEvent;

/** Personal property found with the equipment (Dexie version 4), and what became of it. */
export type PersonalPropertyRow = PersonalPropertyEntry;
export type PersonalPropertyEventRow = PersonalPropertyEvent;

/** A receipt left with the customer (Dexie version 6); its PDF lives in `blobs` by sha256. */
export type CustomerReceiptRow = CustomerReceipt;

/** The hash of the latest custody event this device holds for an item: the next event's "previous". */
export interface CustodyHeadRow {
  itemId: string;
  eventHash: string;
  eventId: string;
}

export const blobStates = ['waiting', 'uploading', 'uploaded', 'failed'] as const;
export type BlobState = (typeof blobStates)[number];

/**
 * A photo's or signature's bytes, named by SHA-256, with its own upload state. Separate from the
 * row outbox: rows that name a blob are held back until the server has these exact bytes.
 */
export interface BlobRow {
  sha256: string;
  blob: Blob;
  mimeType: string;
  size: number;
  state: BlobState;
  /** Why the last attempt failed, in words; for 'failed' the reason it will not be retried. */
  reason: string | null;
  attempts: number;
  /** Epoch ms before which no retry is made (back-off). */
  nextAttemptAt: number;
  createdAt: string;
}

/**
 * This device's Ed25519 signing key. The private CryptoKey is non-extractable: IndexedDB keeps
 * the handle, and no script (ours included) can read the key bytes out of it.
 */
export interface DeviceKeyRow {
  id: string;
  deviceId: string;
  userId: string;
  privateKey: CryptoKey;
  publicKey: string;
  createdAt: string;
}
