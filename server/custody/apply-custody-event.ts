import type { CustodyEvent, DeviceKey } from '../../shared/custody/custody-event';
import { checkCustodySeal } from '../../shared/custody/custody-hash';
import { chainBreak } from '../../shared/custody/verify-chain';
import { applied, missingBlobs, refused, type DoorAct, type DoorOutcome } from '../visits/door-act';
import { custodyRepository } from './custody-repository';

/**
 * A device registers its public key once; the same key sent again is a no-op, a different key
 * under an existing id is refused (a key is never replaced: old events must stay verifiable).
 */
export async function applyDeviceKey(act: DoorAct, key: DeviceKey): Promise<DoorOutcome> {
  if (key.userId !== act.principal.userId) return refused('forbidden', 'A device key can only be registered by the user it belongs to.');
  const custody = custodyRepository(act.db);
  const existing = await custody.deviceKey(key.id);
  if (existing) {
    return existing.publicKey === key.publicKey ? applied : refused('invalid', 'A different key is already registered under this id.');
  }
  await custody.addDeviceKey(key, act.at);
  return applied;
}

/**
 * The server re-verifies every custody event before it enters the record: its hash, its
 * device's signature, and that each item's chain continues from the event the server holds.
 * A broken event is refused with the reason; one whose predecessor has not arrived yet waits.
 */
export async function applyCustodyEvent(act: DoorAct, event: CustodyEvent): Promise<DoorOutcome> {
  const custody = custodyRepository(act.db);
  if (await custody.eventExists(event.id)) return refused('invalid', 'A custody event with this id already exists; a correction is a new event.');
  if (event.recordedByUserId !== act.principal.userId) return refused('forbidden', 'A custody event can only be pushed by the user who recorded it.');

  const key = await custody.deviceKey(event.deviceKeyId);
  if (!key) return refused('chain_waiting', "This device's signing key has not reached the server yet; the event will be sent again.");
  if (key.deviceId !== event.deviceId || key.userId !== event.recordedByUserId) {
    return refused('custody_broken', 'The custody event names a signing key that belongs to another device or user.');
  }
  const seal = await checkCustodySeal(act.services.subtle, event, key.publicKey);
  if (seal) return refused('custody_broken', `The custody event was refused: ${seal.reason}.`);

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
