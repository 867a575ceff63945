/**
 * Trust on first use for the organisation signing key, as SSH does for host keys: the key the
 * server shows at the first sign-in is pinned; afterwards a new key is accepted only through a
 * rotation statement signed by the key before it, so a server (or someone in front of it) that
 * swaps in an unrelated key is caught rather than believed.
 */
import type { CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { trustedOrgKeys, type OrgKeyHistory } from '../../shared/trust/org-key';
import { readMeta, writeMeta } from '../db/meta';
import type { ReclaimDatabase } from '../db/schema';
import type { OrgTrust } from '../db/trust-records';
import { keyReplaced } from './custody-log-alarm';

/** The organisation key as first seen: every later key must descend from this one. */
export async function firstTrust(subtle: CustodySubtleCrypto, history: OrgKeyHistory, now: Date): Promise<OrgTrust> {
  // Even a blind first trust refuses a chain that does not hold together.
  await trustedOrgKeys(subtle, history.current.fingerprint, history);
  return { organisationId: history.organisationId, pinnedFingerprint: history.current.fingerprint, pinnedAt: now.toISOString(), history };
}

export type PinOutcome = { readonly outcome: 'pinned' | 'followed'; readonly trust: OrgTrust } | { readonly outcome: 'refused'; readonly reason: string };

/**
 * At sign-in: pins the organisation key the first time, or follows its signed rotations from
 * the key pinned before. A history that does not lead back to the pin leaves the pin as it was
 * and raises the custody log alarm.
 */
export async function pinOrganisationKey(db: ReclaimDatabase, api: { orgKeyHistory(): Promise<OrgKeyHistory> }, subtle: CustodySubtleCrypto, now: Date = new Date()): Promise<PinOutcome> {
  const history = await api.orgKeyHistory();
  const pinned = await readMeta(db, 'orgTrust');
  if (!pinned) {
    const trust = await firstTrust(subtle, history, now);
    await writeMeta(db, 'orgTrust', trust);
    return { outcome: 'pinned', trust };
  }
  let reason: string;
  try {
    if (history.organisationId !== pinned.organisationId) throw new Error(`the server now speaks for organisation ${history.organisationId}, not ${pinned.organisationId}`);
    await trustedOrgKeys(subtle, pinned.pinnedFingerprint, history);
    const trust = { ...pinned, history };
    await writeMeta(db, 'orgTrust', trust);
    return { outcome: 'followed', trust };
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const detail = `Pinned ${pinned.pinnedFingerprint}; the server shows ${history.current.fingerprint}: ${reason}`;
  await writeMeta(db, 'custodyLogAlarm', keyReplaced(await readMeta(db, 'custodyCheckpoint'), pinned.pinnedAt, detail, now));
  return { outcome: 'refused', reason };
}
