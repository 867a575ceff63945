import type { Kysely } from 'kysely';
import { ProblemError } from '../http/problem';
import type { Database } from '../store/schema';

export function deviceRevoked(): ProblemError {
  return new ProblemError(
    403,
    'device_revoked',
    'An administrator has revoked this device. Its local Reclaim data is being removed; ask the office for a new device or to restore this one.',
  );
}

/** How stale "last seen" may get before a request writes it again (saves a write per request). */
const lastSeenResolutionMs = 60_000;

/**
 * Refuses a revoked device and keeps its "last seen" fresh for the admin's device list.
 * Sessions opened without a device id (scripts, the browser app without a device) pass.
 */
export async function admitDevice(
  db: Kysely<Database>,
  deviceId: string | null,
  /** The device's row as the sign-in read it (sessionsRepository.findCaller); undefined if none. */
  device: { readonly revokedAt: string | null; readonly lastSeenAt: string } | undefined,
  now: Date,
): Promise<void> {
  if (deviceId === null || !device) return;
  if (device.revokedAt !== null) throw deviceRevoked();
  if (now.getTime() - Date.parse(device.lastSeenAt) >= lastSeenResolutionMs) {
    await db.updateTable('devices').set({ last_seen_at: now.toISOString() }).where('id', '=', deviceId).execute();
  }
}

export function sessionRevocation(db: Kysely<Database>) {
  return {
    async ofUser(userId: string, at: string): Promise<number> {
      const result = await db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async ofDevice(deviceId: string, at: string): Promise<number> {
      const result = await db.updateTable('sessions').set({ revoked_at: at }).where('device_id', '=', deviceId).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
