import type { Kysely } from 'kysely';
import { DEVICE_CERTIFICATE_FORMAT, issueDeviceCertificate, SignedDeviceCertificate, type DeviceCertificateBody } from '../../shared/trust/device-certificate';
import { Role } from '../../shared/domain/roles';
import { newId } from '../../shared/ids';
import type { Database } from '../store/schema';
import type { OrgSigningKey } from './org-signing-key';

/**
 * The organisation key's certificates for device keys: which device, which user (name, role) and
 * from when to when a key's signatures count. A key is certified when the server accepts it (a
 * laptop's push, an office key made at a first disposition) and, at start-up, every key that has
 * none yet (a database from before certificates, the demo's history). Revoking a device or
 * disabling a user re-issues the certificate with an end; re-enabling the user re-issues it open.
 * The newest revision of a key is its certificate.
 *
 * notBefore is the key's creation time as the device stated it: events are signed offline after
 * the key was made and before it reached the server. A device cannot have made its key after the
 * server received it, so a creation time later than the registration (a clock running ahead)
 * gives way to the registration time. Verifiers check coverage at the log's acceptance time, which
 * is never before registration, so a back-dated creation time gains a forger nothing.
 */

type CertificateEnd = { readonly notAfter: string | null };

function earlier(a: string, b: string): string {
  return new Date(Math.min(Date.parse(a), Date.parse(b))).toISOString();
}

interface KeyHolder {
  id: string;
  device_id: string;
  user_id: string;
  public_key: string;
  created_at: string;
  registered_at: string;
  username: string;
  display_name: string;
  role: string;
}

async function keyHolders(db: Kysely<Database>, deviceKeyIds: readonly string[]): Promise<KeyHolder[]> {
  if (deviceKeyIds.length === 0) return [];
  return db
    .selectFrom('device_keys')
    .innerJoin('users', 'users.id', 'device_keys.user_id')
    .select(['device_keys.id', 'device_keys.device_id', 'device_keys.user_id', 'device_keys.public_key', 'device_keys.created_at', 'device_keys.registered_at', 'users.username', 'users.display_name', 'users.role'])
    .where('device_keys.id', 'in', [...deviceKeyIds])
    .orderBy('device_keys.id')
    .execute();
}

async function newestRevision(db: Kysely<Database>, deviceKeyId: string): Promise<{ revision: number; notAfter: string | null } | null> {
  const row = await db.selectFrom('device_certificates').select(['revision', 'not_after']).where('device_key_id', '=', deviceKeyId).orderBy('revision', 'desc').limit(1).executeTakeFirst();
  return row ? { revision: Number(row.revision), notAfter: row.not_after } : null;
}

/**
 * Issues and stores the next revision of each key's certificate. A revision another instance
 * stored first (two instances certifying the same key at start) is kept, not doubled.
 */
async function issue(db: Kysely<Database>, orgKey: OrgSigningKey, holders: readonly KeyHolder[], end: (holder: KeyHolder) => CertificateEnd): Promise<SignedDeviceCertificate[]> {
  if (holders.length === 0) return [];
  const key = await orgKey.inUse(db);
  const issued: SignedDeviceCertificate[] = [];
  for (const holder of holders) {
    const newest = await newestRevision(db, holder.id);
    const notBefore = earlier(holder.created_at, holder.registered_at);
    const { notAfter } = end(holder);
    const body: DeviceCertificateBody = {
      format: DEVICE_CERTIFICATE_FORMAT,
      serial: newId(),
      deviceKeyId: holder.id,
      deviceId: holder.device_id,
      publicKey: holder.public_key,
      userId: holder.user_id,
      userName: holder.username,
      displayName: holder.display_name,
      role: Role.parse(holder.role),
      notBefore,
      // An end before the start would be a certificate that never held; it ends at its start.
      notAfter: notAfter === null ? null : new Date(Math.max(Date.parse(notAfter), Date.parse(notBefore))).toISOString(),
      issuedAt: key.at,
      issuerFingerprint: key.info.fingerprint,
    };
    const signed = await issueDeviceCertificate(body, key.sign);
    const result = await db
      .insertInto('device_certificates')
      .values({ serial: body.serial, device_key_id: holder.id, revision: (newest?.revision ?? 0) + 1, issued_at: body.issuedAt, not_after: body.notAfter, signed_json: JSON.stringify(signed) })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) issued.push(signed);
  }
  return issued;
}

/** Certifies a key the server has just accepted (in the transaction that stored it). */
export async function certifyDeviceKey(db: Kysely<Database>, orgKey: OrgSigningKey, deviceKeyId: string): Promise<SignedDeviceCertificate | null> {
  if (await newestRevision(db, deviceKeyId)) return null;
  const [signed] = await issue(db, orgKey, await keyHolders(db, [deviceKeyId]), () => ({ notAfter: null }));
  return signed ?? null;
}

/**
 * At start-up: certifies every key without a certificate. A key of a device already revoked
 * ends at the revocation; a key of a user already disabled ends now (when is not recorded).
 */
export async function certifyUncertifiedDeviceKeys(db: Kysely<Database>, orgKey: OrgSigningKey, now: string): Promise<number> {
  const rows = await db
    .selectFrom('device_keys')
    .leftJoin('device_certificates', 'device_certificates.device_key_id', 'device_keys.id')
    .select('device_keys.id')
    .where('device_certificates.serial', 'is', null)
    .execute();
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const revoked = new Map((await db.selectFrom('devices').select(['id', 'revoked_at']).where('revoked_at', 'is not', null).execute()).map((row) => [row.id, row.revoked_at]));
  const disabled = new Set((await db.selectFrom('users').select('id').where('disabled', '<>', 0).execute()).map((row) => row.id));
  let count = 0;
  for (let i = 0; i < ids.length; i += 200) {
    const holders = await keyHolders(db, ids.slice(i, i + 200));
    const issued = await issue(db, orgKey, holders, (holder) => ({ notAfter: revoked.get(holder.device_id) ?? (disabled.has(holder.user_id) ? now : null) }));
    count += issued.length;
  }
  return count;
}

async function reissue(db: Kysely<Database>, orgKey: OrgSigningKey, holders: readonly KeyHolder[], notAfter: string | null): Promise<SignedDeviceCertificate[]> {
  const open: KeyHolder[] = [];
  for (const holder of holders) {
    const newest = await newestRevision(db, holder.id);
    // Only a change is a new certificate: an ended one is not ended again, an open one not reopened.
    if (newest === null || (newest.notAfter === null) !== (notAfter === null)) open.push(holder);
  }
  return issue(db, orgKey, open, () => ({ notAfter }));
}

/** A revoked device: every key on it, whoever registered it, gets a certificate that ends at the revocation. */
export async function endCertificatesOfDevice(db: Kysely<Database>, orgKey: OrgSigningKey, deviceId: string, at: string): Promise<SignedDeviceCertificate[]> {
  const ids = await db.selectFrom('device_keys').select('id').where('device_id', '=', deviceId).execute();
  return reissue(db, orgKey, await keyHolders(db, ids.map((row) => row.id)), at);
}

/** A disabled user: every key of theirs gets a certificate that ends when they were disabled. */
export async function endCertificatesOfUser(db: Kysely<Database>, orgKey: OrgSigningKey, userId: string, at: string): Promise<SignedDeviceCertificate[]> {
  const ids = await db.selectFrom('device_keys').select('id').where('user_id', '=', userId).execute();
  return reissue(db, orgKey, await keyHolders(db, ids.map((row) => row.id)), at);
}

/**
 * A re-enabled user: their keys on devices that were not revoked are certified again without
 * an end. While disabled they could not sign in, so nothing of theirs was logged in between.
 */
export async function reopenCertificatesOfUser(db: Kysely<Database>, orgKey: OrgSigningKey, userId: string): Promise<SignedDeviceCertificate[]> {
  const revokedDevices = new Set((await db.selectFrom('devices').select('id').where('revoked_at', 'is not', null).execute()).map((row) => row.id));
  const ids = await db.selectFrom('device_keys').select(['id', 'device_id']).where('user_id', '=', userId).execute();
  const keep = ids.filter((row) => !revokedDevices.has(row.device_id)).map((row) => row.id);
  return reissue(db, orgKey, await keyHolders(db, keep), null);
}

/** The current (newest) certificate of each of these keys; keys without one are left out. */
export async function certificatesFor(db: Kysely<Database>, deviceKeyIds: readonly string[]): Promise<SignedDeviceCertificate[]> {
  const ids = [...new Set(deviceKeyIds)];
  const newest = new Map<string, { revision: number; json: string }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('device_certificates').select(['device_key_id', 'revision', 'signed_json']).where('device_key_id', 'in', ids.slice(i, i + 1000)).execute();
    for (const row of rows) {
      const seen = newest.get(row.device_key_id);
      if (!seen || Number(row.revision) > seen.revision) newest.set(row.device_key_id, { revision: Number(row.revision), json: row.signed_json });
    }
  }
  return ids.flatMap((id) => {
    const row = newest.get(id);
    return row ? [SignedDeviceCertificate.parse(JSON.parse(row.json))] : [];
  });
}
