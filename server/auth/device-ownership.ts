import type { Kysely } from 'kysely';
import { ProblemError } from '../http/problem';
import type { Database } from '../store/schema';

/** Device names the server gives the office signing keys it makes itself (office-signing-keys.ts). */
export const OFFICE_DEVICE_PREFIX = 'office:';

export function isOfficeDeviceId(deviceId: string): boolean {
  return deviceId.startsWith(OFFICE_DEVICE_PREFIX);
}

export function deviceOfAnotherUser(): ProblemError {
  return new ProblemError(409, 'conflict', 'This laptop is registered to another user; an administrator can release it. Until then, sign in on it as that user.');
}

export function reservedDeviceId(): ProblemError {
  return new ProblemError(409, 'conflict', `Device names starting with "${OFFICE_DEVICE_PREFIX}" are reserved for the office signing keys the server makes; a laptop cannot sign in under one.`);
}

/**
 * A device id belongs to the user who first signed in on it, until an admin releases it. The
 * keys it signed with name it, so handing the id to someone else would let them add a key that
 * verifiers read as the first user's laptop: it never moves by itself.
 */
export function deviceOwnership(db: Kysely<Database>) {
  return {
    /** The user the device belongs to, or null when it is free (never seen, or released). */
    async owner(deviceId: string): Promise<string | null> {
      const row = await db.selectFrom('devices').select(['user_id', 'released_at']).where('id', '=', deviceId).executeTakeFirst();
      if (row) return row.released_at === null ? row.user_id : null;
      // A device id that signed records but never signed in here (imported or seeded history)
      // belongs to the user its keys were registered for.
      const key = await db.selectFrom('device_keys').select('user_id').where('device_id', '=', deviceId).orderBy('registered_at').orderBy('id').executeTakeFirst();
      return key?.user_id ?? null;
    },

    /**
     * Records that `userId` signed in on the device: registers a free device to them, refreshes
     * their own, and refuses one that belongs to somebody else (409, with what to do).
     */
    async signIn(device: { id: string; userId: string; name: string | null; seenAt: string }): Promise<void> {
      if (isOfficeDeviceId(device.id)) throw reservedDeviceId();
      const owner = await this.owner(device.id);
      if (owner !== null && owner !== device.userId) throw deviceOfAnotherUser();
      // The condition is repeated in the upsert, so two users signing in on one new id at the
      // same moment cannot both win: the later one updates nothing and is refused.
      const result = await db
        .insertInto('devices')
        .values({ id: device.id, user_id: device.userId, name: device.name, last_seen_at: device.seenAt, released_at: null, released_by_user_id: null })
        .onConflict((conflict) =>
          conflict
            .column('id')
            .doUpdateSet({ user_id: device.userId, name: device.name, last_seen_at: device.seenAt, released_at: null, released_by_user_id: null })
            .where((eb) => eb.or([eb('devices.user_id', '=', device.userId), eb('devices.released_at', 'is not', null)])),
        )
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) throw deviceOfAnotherUser();
    },

    /** An admin frees the device for the next user; returns false when it is not registered. */
    async release(deviceId: string, byUserId: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('devices')
        .set({ released_at: at, released_by_user_id: byUserId })
        .where('id', '=', deviceId)
        .where('released_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return true;
      return (await db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst()) !== undefined;
    },
  };
}
