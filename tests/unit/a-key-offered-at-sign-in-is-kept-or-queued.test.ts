import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceKey } from '../../shared/custody/custody-event';
import { ensureDeviceKey, keepSignInKey, makeSignInKey } from '../../renderer/features/custody/device-key';
import type { ReclaimDatabase } from '../../renderer/db/schema';
import { freshDatabase } from './renderer-test-fixtures';

/**
 * The laptop offers its custody signing key with the sign-in. What it keeps afterwards: the key it
 * already held for the user (its events are signed with it), else the offered key, with its
 * registration queued for sync only when the sign-in did not register it, so the server always
 * learns a key before any event it signed, and learns it once.
 */
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const user = { userId: '6f1d3c1e-9f0a-4d5e-8b2a-1c2d3e4f5a6b', deviceId: 'laptop-1' };
let db: ReclaimDatabase;
afterEach(async () => {
  await db.delete();
});

async function queuedKeys(): Promise<DeviceKey[]> {
  return (await db.outbox.toArray()).flatMap((entry) => (entry.mutation.entity === 'deviceKey' ? [DeviceKey.parse(entry.mutation.data)] : []));
}

describe('a key offered at sign-in', () => {
  it('is kept with nothing to push when the sign-in registered it', async () => {
    db = freshDatabase();
    const key = await makeSignInKey(subtle);
    const kept = await keepSignInKey(db, user, key, true);
    expect(kept).toMatchObject({ id: key.offer.id, publicKey: key.offer.publicKey, ...user });
    expect(await db.deviceKeys.count()).toBe(1);
    expect(await db.outbox.count()).toBe(0);
  });

  it('is kept and queued for registration when the server did not register it', async () => {
    db = freshDatabase();
    const key = await makeSignInKey(subtle);
    await keepSignInKey(db, user, key, false);
    expect(await queuedKeys()).toEqual([{ ...key.offer, ...user }]);
  });

  it('gives way to the key the laptop already holds for the user, which stays the one that signs', async () => {
    db = freshDatabase();
    await db.meta.put({ key: 'deviceId', value: user.deviceId });
    const held = await ensureDeviceKey(db, user.userId, subtle);
    const queuedBefore = await queuedKeys();
    for (const registered of [true, false]) {
      const kept = await keepSignInKey(db, user, await makeSignInKey(subtle), registered);
      expect(kept.id).toBe(held.id);
    }
    expect((await db.deviceKeys.toArray()).map((row) => row.id)).toEqual([held.id]);
    expect(await queuedKeys()).toEqual(queuedBefore);
  });
});
