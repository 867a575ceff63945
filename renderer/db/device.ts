import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { readMeta, writeMeta } from './meta';
import type { ReclaimDatabase } from './schema';

/** The id this device signs its mutations with: made once, kept across sign-outs. */
export async function ensureDeviceId(db: ReclaimDatabase): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await readMeta(db, 'deviceId');
    if (existing) return existing;
    const deviceId = newId();
    await writeMeta(db, 'deviceId', deviceId);
    return deviceId;
  });
}

export interface MutationStamp {
  deviceId: string;
  clientTime: string;
  hlc: string;
}

/**
 * Stamps a local mutation. The clock is rebuilt from its last persisted value so timestamps
 * keep increasing across restarts even when the wall clock steps back. The persisted value is
 * this device's own, so it is folded in without the drift limit meant for remote clocks.
 * Join a transaction that includes `meta` so the stamp and the mutation commit together.
 */
export async function stampMutation(db: ReclaimDatabase, wallClock: () => number = Date.now): Promise<MutationStamp> {
  const deviceId = await ensureDeviceId(db);
  const clock = new HybridLogicalClock(deviceId, wallClock, Number.POSITIVE_INFINITY);
  const last = await readMeta(db, 'hlc');
  if (last) clock.receive(last);
  const hlc = clock.now();
  await writeMeta(db, 'hlc', hlc);
  return { deviceId, clientTime: new Date(wallClock()).toISOString(), hlc };
}
