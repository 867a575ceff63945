import type { SignInDeviceKey } from '../../../shared/api/auth';
import { toBase64Url } from '../../../shared/custody/crypto-port';
import { DeviceKey } from '../../../shared/custody/custody-event';
import { newId } from '../../../shared/ids';
import { ensureDeviceId } from '../../db/device';
import type { DeviceKeyRow } from '../../db/door-tables';
import { queueMutation } from '../../db/outbox';
import type { ReclaimDatabase } from '../../db/schema';

/**
 * A key made before the sign-in and offered with it, so the server registers it in the same
 * request and the first sync pulls at once instead of pushing the registration first.
 */
export interface SignInKey {
  readonly offer: SignInDeviceKey;
  readonly privateKey: CryptoKey;
}

/** A fresh Ed25519 pair; the private key cannot leave WebCrypto, the public half is always exportable. */
export async function makeSignInKey(subtle: SubtleCrypto = crypto.subtle, now: () => Date = () => new Date()): Promise<SignInKey> {
  const pair = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = toBase64Url(new Uint8Array(await subtle.exportKey('raw', pair.publicKey)));
  return { offer: { id: newId(), algorithm: 'Ed25519', publicKey, createdAt: now().toISOString() }, privateKey: pair.privateKey };
}

/**
 * Stores a key for the user unless the device already holds one (kept: its events are signed
 * with it). Key generation runs before, outside the Dexie transaction (a foreign await would end
 * an IndexedDB transaction early); the row and, when the server does not have the key yet, its
 * registration mutation commit together, so the server learns the key before any event it signed.
 */
async function storeKey(db: ReclaimDatabase, row: DeviceKeyRow, registered: boolean, now: () => Date): Promise<DeviceKeyRow> {
  return db.transaction('rw', [db.deviceKeys, db.outbox, db.meta], async () => {
    const held = await db.deviceKeys.where('userId').equals(row.userId).first();
    if (held) return held;
    await db.deviceKeys.add(row);
    if (!registered) {
      const data = DeviceKey.parse({ id: row.id, deviceId: row.deviceId, userId: row.userId, algorithm: 'Ed25519', publicKey: row.publicKey, createdAt: row.createdAt });
      await queueMutation(db, { entity: 'deviceKey', op: 'create', data }, () => now().getTime());
    }
    return row;
  });
}

/**
 * This device's signing key for the user, made at sign-in (and on first need should that have
 * failed): an Ed25519 pair whose private half is non-extractable, registered through sync.
 */
export async function ensureDeviceKey(db: ReclaimDatabase, userId: string, subtle: SubtleCrypto = crypto.subtle, now: () => Date = () => new Date()): Promise<DeviceKeyRow> {
  const existing = await db.deviceKeys.where('userId').equals(userId).first();
  if (existing) return existing;
  const deviceId = await ensureDeviceId(db);
  const { offer, privateKey } = await makeSignInKey(subtle, now);
  return storeKey(db, { ...offer, deviceId, userId, privateKey }, false, now);
}

/**
 * After the sign-in answered: the key the device already holds for the user stays; otherwise the
 * offered one is kept, registered by the sign-in or, when the server did not take it (an older
 * server, or one that holds another key of this user for this device), queued for registration
 * through sync, which says why should it be refused.
 */
export function keepSignInKey(
  db: ReclaimDatabase,
  user: { readonly userId: string; readonly deviceId: string },
  key: SignInKey,
  registered: boolean,
  now: () => Date = () => new Date(),
): Promise<DeviceKeyRow> {
  return storeKey(db, { ...key.offer, deviceId: user.deviceId, userId: user.userId, privateKey: key.privateKey }, registered, now);
}
