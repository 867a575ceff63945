import { z } from 'zod';
import { IsoDateTime } from '../../shared/domain/job';
import { User } from '../../shared/domain/roles';
import { PeopleOnJobs } from '../../shared/api/people';
import { Cursor } from '../../shared/sync/protocol';
import type { ReclaimDatabase } from './schema';
import { CustodyLogAlarm, OrgTrust, StoredCheckpoint } from './trust-records';

/** Who is signed in on this device and against which server; the token itself is a secret. */
export const StoredSession = z.object({
  user: User,
  expiresAt: IsoDateTime,
  serverUrl: z.url(),
});
export type StoredSession = z.infer<typeof StoredSession>;

/**
 * Every meta key with the shape of its value. Values are parsed on read because an older or
 * newer app version may have written them.
 */
const metaSchemas = {
  cursor: Cursor,
  deviceId: z.string().min(1).max(64),
  hlc: z.string(),
  lastSyncAt: IsoDateTime,
  session: StoredSession,
  /** The idle lock's offline password check (a PBKDF2 hash, never the password); user data. */
  unlockVerifier: z.object({
    algorithm: z.literal('PBKDF2-SHA-256'),
    iterations: z.number().int().min(100_000),
    salt: z.string().min(16),
    hash: z.string().min(32),
  }),
  /** Minutes without input before the app locks; a device setting, kept across sign-outs. */
  idleLockMinutes: z.number().int().min(1).max(240),
  /** The idle lock is on: stored, so reloading or restarting the app does not lift it. */
  locked: z.boolean(),
  /** The organisation key pinned at sign-in; cleared at sign-out with the session it belongs to. */
  orgTrust: OrgTrust,
  /** The newest custody log checkpoint checked on a pull. */
  custodyCheckpoint: StoredCheckpoint,
  /** Names and roles of the people on this user's job histories (user data: wiped at sign-out). */
  people: PeopleOnJobs,
  /** Present while the server's custody log cannot be trusted; shown until a good checkpoint arrives. */
  custodyLogAlarm: CustodyLogAlarm,
} as const;
export type MetaKey = keyof typeof metaSchemas;
export type MetaValue<K extends MetaKey> = z.infer<(typeof metaSchemas)[K]>;

/** Keys that describe the device rather than the user: they survive sign-out. */
export const deviceMetaKeys: readonly MetaKey[] = ['deviceId', 'hlc', 'idleLockMinutes'];

export async function readMeta<K extends MetaKey>(db: ReclaimDatabase, key: K): Promise<MetaValue<K> | null> {
  const row = await db.meta.get(key);
  if (!row) return null;
  const parsed = metaSchemas[key].safeParse(row.value);
  return parsed.success ? (parsed.data as MetaValue<K>) : null;
}

export async function writeMeta<K extends MetaKey>(db: ReclaimDatabase, key: K, value: MetaValue<K>): Promise<void> {
  await db.meta.put({ key, value });
}

export async function deleteMeta(db: ReclaimDatabase, key: MetaKey): Promise<void> {
  await db.meta.delete(key);
}
