import { z } from 'zod';
import { CustodyEvent, DeviceKey } from '../custody/custody-event';
import { ItemReconciliation, Photo, Signature } from '../domain/evidence';
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
  ] as const;
}

export const doorEntities = ['visit', 'itemReconciliation', 'photo', 'signature', 'custodyEvent'] as const;
export type DoorEntity = (typeof doorEntities)[number];

/** The blobs (by SHA-256) a mutation names: the server refuses it until they are uploaded. */
export function blobsNamedBy(mutation: { entity: string; data: unknown }): string[] {
  const data = mutation.data as { sha256?: unknown; photoHashes?: unknown; signatureHashes?: unknown };
  const hashes: unknown[] = [];
  if (mutation.entity === 'photo' || mutation.entity === 'signature') hashes.push(data.sha256);
  if (mutation.entity === 'custodyEvent') {
    if (Array.isArray(data.photoHashes)) hashes.push(...(data.photoHashes as unknown[]));
    if (Array.isArray(data.signatureHashes)) hashes.push(...(data.signatureHashes as unknown[]));
  }
  return hashes.filter((hash): hash is string => typeof hash === 'string');
}
