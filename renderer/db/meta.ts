import { z } from 'zod';
import { IsoDateTime } from '../../shared/domain/job';
import { User } from '../../shared/domain/roles';
import { Cursor } from '../../shared/sync/protocol';
import type { ReclaimDatabase } from './schema';

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
} as const;
export type MetaKey = keyof typeof metaSchemas;
export type MetaValue<K extends MetaKey> = z.infer<(typeof metaSchemas)[K]>;

/** Keys that describe the device rather than the user: they survive sign-out. */
export const deviceMetaKeys: readonly MetaKey[] = ['deviceId', 'hlc'];

export async function readMeta<K extends MetaKey>(db: ReclaimDatabase, key: K): Promise<MetaValue<K> | null> {
  const row = await db.meta.get(key);
  if (!row) return null;
  const parsed = metaSchemas[key].safeParse(row.value);
  return parsed.success ? (parsed.data as MetaValue<K>) : null;
}

export async function writeMeta<K extends MetaKey>(db: ReclaimDatabase, key: K, value: MetaValue<K>): Promise<void> {
  await db.meta.put({ key, value });
}
