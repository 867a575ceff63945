import { webcrypto } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fromBase64Url, toBase64Url } from '../../shared/custody/crypto-port';
import { newId } from '../../shared/ids';
import type { Principal } from '../auth/principal';
import { custodyRepository } from '../custody/custody-repository';
import { ProblemError } from '../http/problem';
import type { Database } from '../store/schema';
import { certifyDeviceKey } from '../trust/device-certificates';
import type { OrgSigningKey } from '../trust/org-signing-key';
import { KeyEncryptionKeyError, type OfficeKeyVault } from './office-key-vault';

/**
 * The signing key of one office user, made on their first disposition. Its public half is a
 * device key like any laptop's (device "office:<username>"), so bundles and verifiers need
 * nothing new; the private half stays in the server's database, sealed with the vault's key.
 */
export async function officeKey(db: Kysely<Database>, vault: OfficeKeyVault, principal: Principal, at: string, orgKey: OrgSigningKey) {
  const row = await db.selectFrom('office_signing_keys').selectAll().where('user_id', '=', principal.userId).executeTakeFirst();
  if (row) {
    let pkcs8: Uint8Array;
    try {
      pkcs8 = vault.open(row.private_key_sealed, { deviceKeyId: row.device_key_id, userId: row.user_id });
    } catch (error) {
      if (error instanceof KeyEncryptionKeyError) throw new ProblemError(500, 'internal', `Your office signing key cannot be used, so nothing was recorded. ${error.message}`);
      throw error;
    }
    const privateKey = await webcrypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'Ed25519' }, false, ['sign']);
    const key = await custodyRepository(db).deviceKey(row.device_key_id);
    if (!key) throw new Error('an office signing key lost its public half');
    return { key, privateKey };
  }
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const key = {
    id: newId(),
    deviceId: `office:${principal.username}`.slice(0, 64),
    userId: principal.userId,
    algorithm: 'Ed25519' as const,
    publicKey: toBase64Url(new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey))),
    createdAt: at,
  };
  await custodyRepository(db).addDeviceKey(key, at);
  const sealed = vault.seal(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)), { deviceKeyId: key.id, userId: principal.userId });
  await db.insertInto('office_signing_keys').values({ device_key_id: key.id, user_id: principal.userId, private_key_sealed: sealed, created_at: at }).execute();
  await certifyDeviceKey(db, orgKey, key.id);
  return { key, privateKey: pair.privateKey };
}

/**
 * At start-up: seals keys stored in plaintext before migration 0009, and refuses to start when
 * the keys were sealed under another key-encryption key (a lost key file, or an instance of a
 * PostgreSQL cluster started without the shared RECLAIM_KEY_ENCRYPTION_KEY), since every
 * disposition would then fail.
 */
export async function sealOfficeKeysAtRest(db: Kysely<Database>, vault: OfficeKeyVault): Promise<{ sealed: number }> {
  const rows = await db.selectFrom('office_signing_keys').select(['device_key_id', 'user_id', 'private_key_sealed']).execute();
  let sealed = 0;
  for (const row of rows) {
    const under = vault.sealedUnder(row.private_key_sealed);
    if (under === vault.fingerprint) continue;
    if (under !== null) {
      throw new KeyEncryptionKeyError(
        `The office signing keys in this database were sealed under key-encryption key ${under}, but this server was given ${vault.fingerprint} (${vault.source.kind === 'file' ? `from ${vault.source.path}` : 'from RECLAIM_KEY_ENCRYPTION_KEY'}). Start it with the key the keys were sealed under: the same RECLAIM_KEY_ENCRYPTION_KEY as the other instances, or the data folder's original key-encryption.key. If that key is lost for good, delete the rows of office_signing_keys: supervisors get new keys at their next disposition, and past dispositions still verify.`,
      );
    }
    const owner = { deviceKeyId: row.device_key_id, userId: row.user_id };
    const result = await db
      .updateTable('office_signing_keys')
      .set({ private_key_sealed: vault.seal(fromBase64Url(row.private_key_sealed), owner) })
      .where('device_key_id', '=', row.device_key_id)
      // Another instance starting at the same moment may have sealed it first; keep theirs.
      .where('private_key_sealed', '=', row.private_key_sealed)
      .executeTakeFirst();
    sealed += Number(result.numUpdatedRows);
  }
  return { sealed };
}
