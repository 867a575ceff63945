import { describe, expect, it } from 'vitest';
import type { Photo, Signature } from '../../shared/domain/evidence';
import { newId } from '../../shared/ids';
import { clearUserData } from '../../renderer/db/session-repository';
import type { BlobState } from '../../renderer/db/door-tables';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { applyPullPage } from '../../renderer/sync/pull-apply';
import { freshDatabase, makeJob, seedJobs, serverTime, signInAs } from './renderer-test-fixtures';

const sharedBytes = 'a'.repeat(64);
const unsentSignature = 'b'.repeat(64);

function photo(jobId: string, sha256: string, byUserId: string): Photo {
  return {
    id: newId(),
    jobId,
    subject: 'job',
    subjectId: null,
    sha256,
    mimeType: 'image/jpeg',
    bytes: 3,
    width: 1,
    height: 1,
    capturedAt: serverTime,
    recordedAt: serverTime,
    place: null,
    byUserId,
  };
}

function signature(jobId: string, sha256: string, byUserId: string): Signature {
  return {
    id: newId(),
    jobId,
    signerName: 'Maria Gonzalez',
    signerRole: 'customer',
    statement: 'I hand over the modem ARS-5521-XK to the agent.',
    sha256,
    mimeType: 'image/png',
    bytes: 3,
    signedAt: serverTime,
    place: null,
    byUserId,
  };
}

async function keepBytes(db: ReclaimDatabase, sha256: string, state: BlobState): Promise<void> {
  await db.blobs.put({ sha256, blob: new Blob([new Uint8Array([1, 2, 3])]), mimeType: 'image/jpeg', size: 3, state, reason: null, attempts: 0, nextAttemptAt: 0, createdAt: serverTime });
}

async function removedByServer(db: ReclaimDatabase, jobId: string): Promise<void> {
  await applyPullPage(db, { changes: [{ seq: String(Date.now()), entity: 'jobRemoval', op: 'remove', id: jobId }], cursor: String(Date.now()), hasMore: false, serverTime });
}

/** Two jobs on one laptop, both photographed with the same bytes; one has a signature not yet uploaded. */
async function laptopWithDoorWork() {
  const db = freshDatabase();
  const userId = await signInAs(db);
  const first = makeJob({ assignedAgentId: userId });
  const second = makeJob({ assignedAgentId: userId });
  await seedJobs(db, [first, second]);
  await db.photos.bulkPut([{ ...photo(first.id, sharedBytes, userId), thumbnail: null }, { ...photo(second.id, sharedBytes, userId), thumbnail: null }]);
  await db.signatures.put(signature(first.id, unsentSignature, userId));
  await keepBytes(db, sharedBytes, 'uploaded');
  await keepBytes(db, unsentSignature, 'waiting');
  return { db, first, second };
}

describe('door records leave the laptop with their job', () => {
  it('a job the server removes takes its photos and signatures, and files no other record names', async () => {
    const { db, first, second } = await laptopWithDoorWork();

    await removedByServer(db, first.id);
    expect(await db.photos.where('jobId').equals(first.id).count()).toBe(0);
    expect(await db.signatures.where('jobId').equals(first.id).count()).toBe(0);
    // The other job still names the shared bytes; a file not yet uploaded is never dropped.
    expect(await db.blobs.get(sharedBytes)).toBeDefined();
    expect(await db.blobs.get(unsentSignature)).toBeDefined();
    expect(await db.photos.where('jobId').equals(second.id).count()).toBe(1);

    await removedByServer(db, second.id);
    expect(await db.photos.count()).toBe(0);
    expect(await db.blobs.get(sharedBytes)).toBeUndefined();
  });

  it('signing out clears door records and files but keeps what is not personal', async () => {
    const { db } = await laptopWithDoorWork();
    await db.tileCacheUsage.put({ sourceKey: 'osm', bytes: 10, tiles: 1 });

    await clearUserData(db);
    expect(await db.photos.count()).toBe(0);
    expect(await db.signatures.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    expect(await db.jobs.count()).toBe(0);
    expect(await db.tileCacheUsage.count()).toBe(1);
  });
});
