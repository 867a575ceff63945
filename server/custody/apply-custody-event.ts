import type { CustodyEvent, DeviceKey } from '../../shared/custody/custody-event';
import { checkCustodySeal } from '../../shared/custody/custody-hash';
import type { Job } from '../../shared/domain/job';
import { chainBreak } from '../../shared/custody/verify-chain';
import { deviceOwnership, isOfficeDeviceId, OFFICE_DEVICE_PREFIX } from '../auth/device-ownership';
import { jobsRepository } from '../store/jobs-repository';
import { applied, doorJob, isDoorJob, missingBlobs, refused, type DoorAct, type DoorJob, type DoorOutcome } from '../visits/door-act';
import { handOverTo, itemRefusal, officeOnlyKindRefusal, timeRefusal } from './custody-binding';
import { custodyRepository } from './custody-repository';
import { certifyDeviceKey } from '../trust/device-certificates';
import type { OrgSigningKey } from '../trust/org-signing-key';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';

/**
 * A device registers its public key once; the same key sent again is a no-op, a different key
 * under an existing id is refused (a key is never replaced: old events must stay verifiable).
 * A device id belongs to the user who registered it: only that user, signed in on that very
 * device, adds a key for it, and office device names are the server's own.
 */
export async function applyDeviceKey(act: DoorAct, key: DeviceKey): Promise<DoorOutcome> {
  return registerDeviceKey(act.db, act.services.orgKey, { userId: act.principal.userId, deviceId: act.principal.deviceId }, key, act.at);
}

/**
 * The rules of a key's registration, wherever it arrives (a push, or a sign-in that carries it):
 * `by` is who is signed in and on which device, whatever the key claims.
 */
export async function registerDeviceKey(
  db: Kysely<Database>,
  orgKey: OrgSigningKey,
  by: { readonly userId: string; readonly deviceId: string | null },
  key: DeviceKey,
  at: string,
): Promise<DoorOutcome> {
  if (key.userId !== by.userId) return refused('forbidden', 'A device key can only be registered by the user it belongs to.');
  if (isOfficeDeviceId(key.deviceId)) {
    return refused(
      'forbidden',
      `Device names starting with "${OFFICE_DEVICE_PREFIX}" are reserved for the office signing keys the server makes at a supervisor's first disposition; a laptop registers its key under its own device id.`,
    );
  }
  if (key.deviceId !== by.deviceId) {
    return refused(
      'forbidden',
      `A signing key is registered from the laptop it belongs to: this key names device ${key.deviceId}, but you are signed in on ${by.deviceId ?? 'no device'}. Sign in on that laptop and it registers its own key.`,
    );
  }
  if ((await deviceOwnership(db).owner(key.deviceId)) !== by.userId) {
    return refused('forbidden', 'This laptop is registered to another user, so you cannot add a key for it; an administrator can release it.');
  }
  const custody = custodyRepository(db);
  const existing = await custody.deviceKey(key.id);
  if (existing) {
    return existing.publicKey === key.publicKey ? applied : refused('invalid', 'A different key is already registered under this id.');
  }
  await custody.addDeviceKey(key, at);
  await certifyDeviceKey(db, orgKey, key.id);
  return applied;
}

/**
 * The job a custody event is recorded on, if the pusher may record on it: their own job (or one
 * moved away from them, kept and flagged like other door work), any job for the office, and for
 * anyone else only their own receipt of items handed over to them on it.
 */
export async function custodyJob(act: DoorAct, event: CustodyEvent): Promise<DoorJob | DoorOutcome> {
  const found = await doorJob(act, event.jobId);
  if (isDoorJob(found) || found.code !== 'forbidden') return found;
  const handOver = await handOverTo(act, event);
  const job = await jobsRepository(act.db).find(event.jobId);
  if (handOver === 'receipt' && job) return { job, moved: false };
  if (handOver === 'waiting') {
    return refused('chain_waiting', 'The hand-over of these items to you has not reached the server yet; your receipt will be sent again after it has.');
  }
  return refused(
    'forbidden',
    'This job is not assigned to you and its items were not handed over to you, so the custody record was not applied. If you hold these items, ask the dispatcher to assign you the job.',
  );
}

/**
 * The server re-verifies every custody event before it enters the record: who recorded it and
 * with which key, its hash and signature, that it fits the job (items, kind, time), and that each
 * item's chain continues from the event the server holds. A broken event is refused with the
 * reason; one whose predecessor, key or files have not arrived yet waits.
 */
export async function applyCustodyEvent(act: DoorAct, job: Job, event: CustodyEvent): Promise<DoorOutcome> {
  const custody = custodyRepository(act.db);
  if (await custody.eventExists(event.id)) return refused('invalid', 'A custody event with this id already exists; a correction is a new event.');
  if (event.recordedByUserId !== act.principal.userId) return refused('forbidden', 'A custody event can only be pushed by the user who recorded it.');
  const officeOnly = officeOnlyKindRefusal(event);
  if (officeOnly) return officeOnly;

  const key = await custody.deviceKey(event.deviceKeyId);
  if (!key) return refused('chain_waiting', "This device's signing key has not reached the server yet; the event will be sent again.");
  if (key.deviceId !== event.deviceId || key.userId !== event.recordedByUserId) {
    return refused('custody_broken', 'The custody event names a signing key that belongs to another device or user.');
  }
  if (key.deviceId !== act.principal.deviceId) {
    return refused(
      'forbidden',
      `The custody event is signed with the key of device ${key.deviceId}, but it was sent from ${act.principal.deviceId ?? 'a session without a device'}; a laptop sends only the records it signed itself. Sync it from the laptop that recorded it.`,
    );
  }
  const seal = await checkCustodySeal(act.services.subtle, event, key.publicKey);
  if (seal) return refused('custody_broken', `The custody event was refused: ${seal.reason}.`);

  const binding = timeRefusal(event, job, act.at) ?? (await itemRefusal(act, event, job));
  if (binding) return binding;

  const missing = await missingBlobs(act, [...event.photoHashes, ...event.signatureHashes]);
  if (missing) return missing;

  const heads = await custody.heads(event.items.map((item) => item.itemId));
  const knownCorrected = event.correctsEventId !== null && (await custody.eventExists(event.correctsEventId));
  const link = chainBreak(event, heads, new Set(knownCorrected && event.correctsEventId ? [event.correctsEventId] : []));
  if (link) {
    // A predecessor the server has never seen may still be on its way; anything else is a break.
    const unknownPredecessor = await Promise.all(
      event.items.map(async (item) => item.previousEventHash !== null && !(await custody.hashExists(item.previousEventHash))),
    );
    if (link.problem === 'chain' && unknownPredecessor.some(Boolean)) {
      return refused('chain_waiting', `An earlier custody event for this item has not reached the server yet: ${link.reason}.`);
    }
    return refused('custody_broken', `The custody event was refused: ${link.reason}.`);
  }
  await custody.append(event, act.hlc, act.at);
  return applied;
}
