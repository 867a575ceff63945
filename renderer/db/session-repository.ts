import { deviceMetaKeys, readMeta, writeMeta, type StoredSession } from './meta';
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
  await db.transaction('rw', [db.jobs, db.jobStatusChanges, db.jobNotes, db.outbox, db.rejectedMutations, db.meta, db.routePlans], async () => {
    await Promise.all([
      db.jobs.clear(),
      db.jobStatusChanges.clear(),
      db.jobNotes.clear(),
      db.outbox.clear(),
      db.rejectedMutations.clear(),
      // Plans hold the agent's start position and job ids; map tiles are not personal and stay.
      db.routePlans.clear(),
      db.meta.where('key').noneOf([...deviceMetaKeys]).delete(),
    ]);
  });
}
