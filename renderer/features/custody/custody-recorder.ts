import { CUSTODY_SCHEME, type CustodyEvent, type CustodyEventKind, type CustodyParty } from '../../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../../shared/custody/custody-hash';
import type { Place } from '../../../shared/domain/visit';
import { newId } from '../../../shared/ids';
import { readMeta } from '../../db/meta';
import { queueMutation } from '../../db/outbox';
import { JobNotFoundError, NotSignedInError } from '../../db/repository-errors';
import type { ReclaimDatabase } from '../../db/schema';
import { DoorRuleError } from '../capture/door-errors';
import { ensureDeviceKey } from './device-key';

export interface CustodyEventInput {
  jobId: string;
  kind: CustodyEventKind;
  from: CustodyParty;
  to: CustodyParty;
  /** Expected or unexpected item ids with the serial each carries. */
  items: { itemId: string; serial: string }[];
  place: Place | null;
  photoHashes: string[];
  signatureHashes: string[];
  sealNumber?: string | null;
  correctsEventId?: string | null;
  note?: string;
}

/** Another custody event for one of these items was recorded meanwhile; signing again fixes it. */
class ChainMovedError extends Error {}

/**
 * Records custody events: each is hashed over its RFC 8785 form (with its photos' and signatures'
 * hashes and each item's previous event hash) and signed with this device's key. The event, the
 * items' new chain heads and the outbox mutation commit together; an event is never edited.
 */
export class CustodyRecorder {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly subtle: SubtleCrypto = crypto.subtle,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(input: CustodyEventInput): Promise<CustodyEvent> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.recordOnce(input);
      } catch (error) {
        if (!(error instanceof ChainMovedError) || attempt >= 2) throw error;
      }
    }
  }

  private async recordOnce(input: CustodyEventInput): Promise<CustodyEvent> {
    const { db } = this;
    const session = await readMeta(db, 'session');
    if (!session) throw new NotSignedInError();
    if (!(await db.jobs.get(input.jobId))) throw new JobNotFoundError(input.jobId);
    if (input.items.length === 0) throw new DoorRuleError('A custody event must cover at least one item.');
    const key = await ensureDeviceKey(db, session.user.id, this.subtle, this.now);
    const heads = new Map((await db.custodyHeads.bulkGet(input.items.map((item) => item.itemId))).flatMap((head) => (head ? [[head.itemId, head.eventHash] as const] : [])));
    // Signing awaits WebCrypto, which would close an open IndexedDB transaction; so sign first,
    // then check inside the transaction that no other event moved these items' chains meanwhile.
    const event = await sealCustodyEvent(this.subtle, key.privateKey, {
      scheme: CUSTODY_SCHEME,
      id: newId(),
      jobId: input.jobId,
      kind: input.kind,
      at: this.now().toISOString(),
      place: input.place,
      from: input.from,
      to: input.to,
      items: input.items.map((item) => ({ ...item, previousEventHash: heads.get(item.itemId) ?? null })),
      sealNumber: input.sealNumber ?? null,
      photoHashes: input.photoHashes,
      signatureHashes: input.signatureHashes,
      correctsEventId: input.correctsEventId ?? null,
      note: input.note ?? '',
      deviceId: key.deviceId,
      deviceKeyId: key.id,
      recordedByUserId: session.user.id,
    });
    return db.transaction('rw', [db.custodyEvents, db.custodyHeads, db.outbox, db.meta], async () => {
      for (const item of event.items) {
        const head = await db.custodyHeads.get(item.itemId);
        if ((head?.eventHash ?? null) !== item.previousEventHash) throw new ChainMovedError();
      }
      await db.custodyEvents.add(event);
      await db.custodyHeads.bulkPut(event.items.map((item) => ({ itemId: item.itemId, eventHash: event.hash, eventId: event.id })));
      await queueMutation(db, { entity: 'custodyEvent', op: 'create', data: event }, () => this.now().getTime());
      return event;
    });
  }
}
