import { toBase64Url } from '../../../shared/custody/crypto-port';
import { DeviceKey } from '../../../shared/custody/custody-event';
import { newId } from '../../../shared/ids';
import { ensureDeviceId } from '../../db/device';
import type { DeviceKeyRow } from '../../db/door-tables';
import { queueMutation } from '../../db/outbox';
import type { ReclaimDatabase } from '../../db/schema';

/**
 * This device's signing key for the user, made at sign-in (and on first need should that have
 * failed): an Ed25519 pair whose private half
 * is non-extractable. Key generation runs outside the Dexie transaction (a foreign await would
 * end an IndexedDB transaction early); the row and the registration mutation then commit together,
 * so the server learns the key before any event it signed.
 */
export async function ensureDeviceKey(db: ReclaimDatabase, userId: string, subtle: SubtleCrypto = crypto.subtle, now: () => Date = () => new Date()): Promise<DeviceKeyRow> {
  const existing = await db.deviceKeys.where('userId').equals(userId).first();
  if (existing) return existing;
  const deviceId = await ensureDeviceId(db);
  // The private key cannot leave WebCrypto; the public half of a pair is always exportable.
  const pair = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = toBase64Url(new Uint8Array(await subtle.exportKey('raw', pair.publicKey)));
  const row: DeviceKeyRow = { id: newId(), deviceId, userId, privateKey: pair.privateKey, publicKey, createdAt: now().toISOString() };
  return db.transaction('rw', [db.deviceKeys, db.outbox, db.meta], async () => {
    const raced = await db.deviceKeys.where('userId').equals(userId).first();
    if (raced) return raced;
    await db.deviceKeys.add(row);
    const data = DeviceKey.parse({ id: row.id, deviceId, userId, algorithm: 'Ed25519', publicKey, createdAt: row.createdAt });
    await queueMutation(db, { entity: 'deviceKey', op: 'create', data }, () => now().getTime());
    return row;
  });
}
