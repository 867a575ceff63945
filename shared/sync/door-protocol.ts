import { z } from 'zod';
import { CustodyEvent, DeviceKey } from '../custody/custody-event';
import { CustomerReceipt } from '../domain/customer-receipt';
import { ItemReconciliation, Photo, Signature } from '../domain/evidence';
import { PersonalPropertyEntry, PersonalPropertyEvent } from '../domain/personal-property';
import { Visit, VisitDeparture } from '../domain/visit';

/**
 * The sync entities of work at the door. All are append-only ('create' only) and merge by
 * union: two devices can never disagree about a visit, a photo or a custody event, only hold
 * different subsets of them. Kept apart from protocol.ts so the core contract stays short.
 */
export function doorMutations<E extends z.core.$ZodLooseShape>(envelope: E) {
  const create = <N extends string, D extends z.ZodType>(entity: N, data: D) =>
    z.object({ ...envelope, entity: z.literal(entity), op: z.literal('create'), data });
  return [
    create('visit', Visit),
    create('itemReconciliation', ItemReconciliation),
    create('photo', Photo),
    create('signature', Signature),
    create('custodyEvent', CustodyEvent),
    /** Pushed only; pulled as the visit's departedAt, so older apps need no new change kind. */
    create('visitDeparture', VisitDeparture),
    /** Not about a job: the device's public key, sent before any event it signed. */
    create('deviceKey', DeviceKey),
    /** Protocol 2: belongings found with the equipment, and each later change of hands. */
    create('personalProperty', PersonalPropertyEntry),
    create('personalPropertyEvent', PersonalPropertyEvent),
    /** Protocol 4: the receipt left with the customer (its PDF travels as a blob). */
    create('customerReceipt', CustomerReceipt),
  ] as const;
}

export function doorChanges<C extends z.ZodType<string>>(cursor: C) {
  const upsert = <N extends string, D extends z.ZodType>(entity: N, data: D) =>
    z.object({ seq: cursor, entity: z.literal(entity), op: z.literal('upsert'), data });
  return [
    upsert('visit', Visit),
    upsert('itemReconciliation', ItemReconciliation),
    upsert('photo', Photo),
    upsert('signature', Signature),
    upsert('custodyEvent', CustodyEvent),
    upsert('personalProperty', PersonalPropertyEntry),
    upsert('personalPropertyEvent', PersonalPropertyEvent),
    upsert('customerReceipt', CustomerReceipt),
  ] as const;
}

export const doorEntities = ['visit', 'itemReconciliation', 'photo', 'signature', 'custodyEvent', 'personalProperty', 'personalPropertyEvent', 'customerReceipt'] as const;
export type DoorEntity = (typeof doorEntities)[number];

/**
 * The protocol version that introduced each pulled change kind not in version 1. A client that
 * declares an older version is never sent these: its schema would refuse the whole page, and
 * its cursor could never move past it.
 */
export const changeKindSince: Partial<Record<DoorEntity, number>> = {
  personalProperty: 2,
  personalPropertyEvent: 2,
  customerReceipt: 4,
};

/** Whether a client speaking `protocolVersion` can parse changes of this kind. */
export function clientReadsChangeKind(entity: string, protocolVersion: number): boolean {
  const since = (changeKindSince as Partial<Record<string, number>>)[entity];
  return since === undefined || protocolVersion >= since;
}

/** The blobs (by SHA-256) a mutation names: the server refuses it until they are uploaded. */
export function blobsNamedBy(mutation: { entity: string; data: unknown }): string[] {
  const data = mutation.data as { sha256?: unknown; photoHashes?: unknown; signatureHashes?: unknown; signatureHash?: unknown };
  const hashes: unknown[] = [];
  if (mutation.entity === 'photo' || mutation.entity === 'signature' || mutation.entity === 'customerReceipt') hashes.push(data.sha256);
  if (mutation.entity === 'custodyEvent' || mutation.entity === 'personalProperty') {
    if (Array.isArray(data.photoHashes)) hashes.push(...(data.photoHashes as unknown[]));
    if (Array.isArray(data.signatureHashes)) hashes.push(...(data.signatureHashes as unknown[]));
  }
  if (mutation.entity === 'personalPropertyEvent') hashes.push(data.signatureHash);
  return hashes.filter((hash): hash is string => typeof hash === 'string');
}
