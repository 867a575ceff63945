import { deviceMetaKeys, readMeta, writeMeta, type StoredSession } from './meta';
import { jobDataTables } from './outbox';
import type { ReclaimDatabase } from './schema';

export async function loadStoredSession(db: ReclaimDatabase): Promise<StoredSession | null> {
  return readMeta(db, 'session');
}

export async function saveStoredSession(db: ReclaimDatabase, session: StoredSession): Promise<void> {
  await writeMeta(db, 'session', session);
}

export async function countPendingMutations(db: ReclaimDatabase): Promise<number> {
  return db.outbox.count();
}

/**
 * Removes everything this user had on the device (jobs hold customers' personal data) and
 * keeps only what identifies the device itself, so its mutation ids and clock carry on.
 */
export async function clearUserData(db: ReclaimDatabase): Promise<void> {
  // Plans hold the agent's start position and job ids; door records hold customers' homes,
  // signatures and belongings. Map tiles, region packs and the device's signing keys are not
  // personal and stay.
  const userTables = [db.outbox, db.rejectedMutations, db.routePlans, ...jobDataTables(db)];
  await db.transaction('rw', [...userTables, db.meta], async () => {
    await Promise.all([...userTables.map((table) => table.clear()), db.meta.where('key').noneOf([...deviceMetaKeys]).delete()]);
  });
}
