import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The environment variable that carries the key-encryption key: 32 bytes in base64. */
export const KEY_ENCRYPTION_KEY_ENV = 'RECLAIM_KEY_ENCRYPTION_KEY';
/** Where a server with no key in its environment keeps the one it made on first start. */
export const KEY_ENCRYPTION_KEY_FILE = 'key-encryption.key';

const SEALED_PREFIX = 'aes-256-gcm:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key-encryption key that is missing, malformed or not the one the keys were sealed under. */
export class KeyEncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyEncryptionKeyError';
  }
}

/** Which row a sealed private key belongs to; the ciphertext opens only for that row. */
export interface OfficeKeyOwner {
  readonly deviceKeyId: string;
  readonly userId: string;
}

export interface OfficeKeyVault {
  /** Where the key came from, for the start-up line and the PostgreSQL warning. */
  readonly source: { kind: 'environment' } | { kind: 'file'; path: string };
  /** A short public fingerprint of the key-encryption key; stored with every sealed key. */
  readonly fingerprint: string;
  seal(pkcs8: Uint8Array, owner: OfficeKeyOwner): string;
  open(sealed: string, owner: OfficeKeyOwner): Uint8Array;
  /** The fingerprint a sealed value was made under, or null for a plaintext (pre-0009) row. */
  sealedUnder(stored: string): string | null;
}

function parseKey(base64: string, where: string): Buffer {
  const text = base64.trim();
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || bytes.length !== 32) {
    throw new KeyEncryptionKeyError(`${where} must be 32 random bytes in base64 (44 characters); make one with \`openssl rand -base64 32\`.`);
  }
  return bytes;
}

/**
 * The key that seals the office users' private signing keys. From RECLAIM_KEY_ENCRYPTION_KEY
 * when set; otherwise from dataDir/key-encryption.key, created (mode 0600) on first start, so
 * a copy of the database alone never yields the keys. Instances sharing one PostgreSQL must all
 * be given the same key through the environment.
 */
export async function loadOfficeKeyVault(configured: string | undefined, dataDir: string): Promise<OfficeKeyVault> {
  if (configured !== undefined && configured.trim() !== '') return officeKeyVault(parseKey(configured, KEY_ENCRYPTION_KEY_ENV), { kind: 'environment' });
  const path = join(dataDir, KEY_ENCRYPTION_KEY_FILE);
  try {
    // 'wx' fails when the file exists, so two processes starting together keep one key.
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  // A key file someone else can read is as good as a plaintext key; narrow it quietly.
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return officeKeyVault(parseKey(await readFile(path, 'utf8'), path), { kind: 'file', path });
}

export function officeKeyVault(kek: Buffer, source: OfficeKeyVault['source']): OfficeKeyVault {
  const fingerprint = createHmac('sha256', kek).update('reclaim key-encryption key fingerprint v1').digest('hex').slice(0, 16);
  // The additional data binds a ciphertext to its row: moved to another user's row, it fails.
  const aad = (owner: OfficeKeyOwner) => Buffer.from(`reclaim office signing key v1\n${owner.deviceKeyId}\n${owner.userId}`, 'utf8');
  const sealedUnder = (stored: string) => (stored.startsWith(SEALED_PREFIX) ? (stored.slice(SEALED_PREFIX.length).split(':')[0] ?? '') : null);
  return {
    source,
    fingerprint,
    sealedUnder,
    seal(pkcs8, owner) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(owner));
      const sealed = Buffer.concat([cipher.update(pkcs8), cipher.final(), cipher.getAuthTag()]);
      return `${SEALED_PREFIX}${fingerprint}:${iv.toString('base64url')}:${sealed.toString('base64url')}`;
    },
    open(stored, owner) {
      const under = sealedUnder(stored);
      if (under === null) throw new KeyEncryptionKeyError('This office signing key is stored unencrypted; restart the server so it seals it.');
      if (under !== fingerprint) {
        throw new KeyEncryptionKeyError(
          `The office signing keys were sealed under key-encryption key ${under}, but this server has ${fingerprint}. Start it with the same ${KEY_ENCRYPTION_KEY_ENV} as the other instances, or restore the data folder's ${KEY_ENCRYPTION_KEY_FILE}.`,
        );
      }
      const [, ivText = '', bodyText = ''] = stored.slice(SEALED_PREFIX.length).split(':');
      const iv = Buffer.from(ivText, 'base64url');
      const body = Buffer.from(bodyText, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(aad(owner));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]));
      } catch {
        throw new KeyEncryptionKeyError(`The office signing key of user ${owner.userId} does not open: it was changed or moved from another user's row. An administrator must restore it from a backup.`);
      }
    },
  };
}
