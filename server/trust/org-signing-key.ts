import { webcrypto } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { newId } from '../../shared/ids';
import { orgKeyFingerprint, orgKeyInfo, orgKeyName, signOrgKeyRotation, type OrgKeyHistory, type OrgSigningKeyInfo } from '../../shared/trust/org-key';
import type { NoteSigner } from '../../shared/trust/signed-note';
import { fromBase64, toBase64 } from '../../shared/trust/strict-bytes';
import { storeKindOf } from '../store/dialect';
import type { Database } from '../store/schema';
import { KEY_ENCRYPTION_KEY_ENV, KEY_ENCRYPTION_KEY_FILE, KeyEncryptionKeyError, type OfficeKeyVault } from '../supervise/office-key-vault';
import type { OrgSigningKeysTable } from './trust-tables';

/**
 * The organisation's signing key: the root a stranger pins by its fingerprint. It signs device
 * certificates, custody log checkpoints, bundle manifests and the PDF's document certificate.
 *
 * One key per database, made by whichever instance starts first: the key and the organisation id
 * are inserted if absent and then read back, so every instance on one PostgreSQL signs with the
 * same key. Its private half is sealed with the key-encryption key, so an instance given another
 * key-encryption key cannot unseal it and refuses to start, instead of signing with a key of its
 * own that no verifier pinned.
 *
 * Rotation (an admin act) retires the key at a time `at`: a verifier trusts the old key for what
 * it signed before `at` and the new one from `at` (shared/trust/org-key.ts). So a signature must
 * never carry a time after its key's retirement. Anything that writes a time into what it signs
 * takes key and time together from inUse(), under a shared lock the rotation takes exclusively;
 * the rotation picks `at` strictly after every such time and before any signature by the new key.
 */
export interface OrgSigningKey {
  readonly organisationId: string;
  /** The current key as this instance last read it (each use re-reads it from the database). */
  readonly info: OrgSigningKeyInfo;
  /** Signs notes (checkpoints) with the current key; its name and publicKey are that key's. */
  readonly noteSigner: NoteSigner;
  /** Ed25519 over bytes with the key current at the moment of the call. */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
  /** The current key and a time to write into what is signed, read together (see above). */
  inUse(db?: Kysely<Database>): Promise<OrgKeyInUse>;
  history(): Promise<OrgKeyHistory>;
  /** Makes a new key, certified by the old one in a rotation statement both sign; retires the old one. */
  rotate(): Promise<OrgKeyRotated>;
}

export interface OrgKeyInUse {
  readonly organisationId: string;
  readonly info: OrgSigningKeyInfo;
  readonly noteSigner: NoteSigner;
  /** Now, as an ISO-8601 UTC time, taken while this key was current. */
  readonly at: string;
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

export interface OrgKeyRotated {
  readonly previous: OrgSigningKeyInfo;
  readonly current: OrgSigningKeyInfo;
  /** The rotation statement: a signed note by both keys. */
  readonly rotation: string;
  readonly at: string;
}

/** Any fixed 64-bit key: signers hold it shared while they read key and time; a rotation holds it alone. */
export const ORG_KEY_LOCK_KEY = 7_301_110_013;

interface LoadedKey {
  readonly id: string;
  readonly generation: number;
  readonly publicKey: Uint8Array;
  readonly info: OrgSigningKeyInfo;
  readonly name: string;
  readonly privateKey: webcrypto.CryptoKey;
}

export interface OrgSigningKeyOptions {
  readonly db: Kysely<Database>;
  readonly vault: OfficeKeyVault;
  readonly now: () => Date;
}

function owner(organisationId: string, keyId: string) {
  // The sealed key opens only for its own row of its own organisation.
  return { deviceKeyId: keyId, userId: `organisation:${organisationId}` };
}

async function newKeyPair(): Promise<{ publicKey: Uint8Array; pkcs8: Uint8Array; privateKey: webcrypto.CryptoKey }> {
  const pair = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return {
    publicKey: new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey)),
    pkcs8: new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)),
    privateKey: pair.privateKey,
  };
}

function wrongKeyMessage(vault: OfficeKeyVault, sealedUnder: string): string {
  const given = vault.source.kind === 'file' ? `from ${vault.source.path}` : `from ${KEY_ENCRYPTION_KEY_ENV}`;
  return (
    `The organisation signing key in this database was sealed under key-encryption key ${sealedUnder}, but this server was given ${vault.fingerprint} (${given}), so it cannot sign. ` +
    `Start every instance on this database with the same ${KEY_ENCRYPTION_KEY_ENV} as the instance that made the key (or restore the data folder's original ${KEY_ENCRYPTION_KEY_FILE}). ` +
    'A server never makes a second organisation key beside the first: records it signed would not verify against the fingerprint the organisation published.'
  );
}

async function unseal(vault: OfficeKeyVault, organisationId: string, row: OrgSigningKeysTable): Promise<LoadedKey> {
  const under = vault.sealedUnder(row.private_key_sealed);
  if (under !== vault.fingerprint) throw new KeyEncryptionKeyError(wrongKeyMessage(vault, under ?? 'none (it is not sealed)'));
  let pkcs8: Uint8Array;
  try {
    pkcs8 = vault.open(row.private_key_sealed, owner(organisationId, row.id));
  } catch {
    throw new KeyEncryptionKeyError(
      `The organisation signing key (generation ${row.generation}) does not open with this server's ${KEY_ENCRYPTION_KEY_ENV}: it was changed or moved from another row. Restore the org_signing_keys table from a backup.`,
    );
  }
  const privateKey = await webcrypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'Ed25519' }, false, ['sign']);
  const publicKey = fromBase64(row.public_key, 'the organisation public key');
  const info = orgKeyInfo(publicKey);
  return { id: row.id, generation: row.generation, publicKey, info, name: orgKeyName(info.fingerprint), privateKey };
}

async function ensureOrganisation(db: Kysely<Database>, at: string): Promise<string> {
  await db.insertInto('organisation').values({ singleton: 1, id: newId(), created_at: at }).onConflict((conflict) => conflict.doNothing()).execute();
  return (await db.selectFrom('organisation').select('id').where('singleton', '=', 1).executeTakeFirstOrThrow()).id;
}

async function currentRow(db: Kysely<Database>): Promise<OrgSigningKeysTable | undefined> {
  return db.selectFrom('org_signing_keys').selectAll().orderBy('generation', 'desc').limit(1).executeTakeFirst();
}

/**
 * Loads the organisation key, making it (and the organisation id) if this is the first start.
 * Throws KeyEncryptionKeyError when this server's key-encryption key cannot unseal it.
 */
export async function loadOrgSigningKey(options: OrgSigningKeyOptions): Promise<OrgSigningKey> {
  const { db, vault, now } = options;
  const organisationId = await ensureOrganisation(db, now().toISOString());
  if (!(await currentRow(db))) {
    const made = await newKeyPair();
    const id = newId();
    await db
      .insertInto('org_signing_keys')
      .values({ id, generation: 1, public_key: toBase64(made.publicKey), private_key_sealed: vault.seal(made.pkcs8, owner(organisationId, id)), created_at: now().toISOString(), retired_at: null, rotation_note: null })
      // Another instance starting at the same moment may have made one first: theirs is the key.
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
  const first = await currentRow(db);
  if (!first) throw new Error('the organisation signing key was not stored');
  const loaded = new Map<string, LoadedKey>();
  let current = await unseal(vault, organisationId, first);
  loaded.set(current.id, current);

  async function refresh(from: Kysely<Database>): Promise<LoadedKey> {
    const row = await currentRow(from);
    if (!row) throw new Error('the organisation signing key is gone from the database');
    if (row.id !== current.id) {
      const known = loaded.get(row.id) ?? (await unseal(vault, organisationId, row));
      loaded.set(row.id, known);
      // Two refreshes may finish out of order; the newer generation wins.
      if (known.generation > current.generation) current = known;
    }
    return loaded.get(row.id) ?? current;
  }

  const signWith = async (key: LoadedKey, bytes: Uint8Array) => new Uint8Array(await webcrypto.subtle.sign({ name: 'Ed25519' }, key.privateKey, new Uint8Array(bytes)));
  const signerOf = (key: LoadedKey): NoteSigner => ({ name: key.name, publicKey: key.publicKey, sign: (bytes) => signWith(key, bytes) });

  /** Reads the current key and the time inside one transaction holding the rotation lock shared. */
  async function inUse(given?: Kysely<Database>): Promise<OrgKeyInUse> {
    const read = async (trx: Kysely<Database>) => {
      if (storeKindOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock_shared(${sql.lit(ORG_KEY_LOCK_KEY)})`.execute(trx);
      const key = await refresh(trx);
      return { key, at: now().toISOString() };
    };
    // On SQLite the transaction alone keeps a rotation out: one connection, one transaction at a time.
    const { key, at } = given?.isTransaction ? await read(given) : await (given ?? db).transaction().execute(read);
    return { organisationId, info: key.info, noteSigner: signerOf(key), at, sign: (bytes) => signWith(key, bytes) };
  }

  const noteSigner: NoteSigner = {
    get name() {
      return current.name;
    },
    get publicKey() {
      return current.publicKey;
    },
    sign: async (bytes) => signWith(await refresh(db), bytes),
  };

  return {
    organisationId,
    get info() {
      return current.info;
    },
    noteSigner,
    sign: async (bytes) => signWith(await refresh(db), bytes),
    inUse,

    async history() {
      const rows = await db.selectFrom('org_signing_keys').select(['generation', 'public_key', 'rotation_note']).orderBy('generation').execute();
      const newest = rows.at(-1);
      if (!newest) throw new Error('the organisation has no signing key');
      return {
        organisationId,
        current: orgKeyInfo(fromBase64(newest.public_key, 'the organisation public key')),
        rotations: rows.flatMap((row) => (row.rotation_note ? [row.rotation_note] : [])),
      };
    },

    async rotate() {
      const made = await newKeyPair();
      const id = newId();
      const rotated = await db.transaction().execute(async (trx) => {
        if (storeKindOf<Database>(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(ORG_KEY_LOCK_KEY)})`.execute(trx);
        const retiring = await refresh(trx);
        const retiringRow = await trx.selectFrom('org_signing_keys').select('created_at').where('id', '=', retiring.id).executeTakeFirstOrThrow();
        // Every time read with the old key was read before this lock was ours; wait out the
        // millisecond so `at` is strictly later than all of them.
        const lockedAt = now().getTime();
        while (now().getTime() <= lockedAt) await sleep(1);
        // A rotation must also come after the one before it (the chain is checked in order).
        const at = new Date(Math.max(now().getTime(), Date.parse(retiringRow.created_at) + 1)).toISOString();
        const next: LoadedKey = { id, generation: retiring.generation + 1, publicKey: made.publicKey, info: orgKeyInfo(made.publicKey), name: orgKeyName(orgKeyFingerprint(made.publicKey)), privateKey: made.privateKey };
        const rotation = await signOrgKeyRotation({ organisationId, previous: retiring.publicKey, next: made.publicKey, at }, signerOf(retiring), signerOf(next));
        await trx.updateTable('org_signing_keys').set({ retired_at: at }).where('id', '=', retiring.id).execute();
        await trx
          .insertInto('org_signing_keys')
          .values({ id, generation: next.generation, public_key: toBase64(made.publicKey), private_key_sealed: vault.seal(made.pkcs8, owner(organisationId, id)), created_at: at, retired_at: null, rotation_note: rotation })
          .execute();
        return { next, result: { previous: retiring.info, current: next.info, rotation, at } };
      });
      loaded.set(rotated.next.id, rotated.next);
      if (rotated.next.generation > current.generation) current = rotated.next;
      return rotated.result;
    },
  };
}
