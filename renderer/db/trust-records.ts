import { z } from 'zod';
import { IsoDateTime } from '../../shared/domain/job';
import { Fingerprint, OrgKeyHistory } from '../../shared/trust/org-key';

/**
 * The organisation key this laptop trusts for its server: the fingerprint it was shown when it
 * first signed in (trust on first use), and the rotations it has followed since. A later key is
 * trusted only when the server shows a rotation chain, each link signed by both keys, that
 * starts at the pinned one; a server that swaps its key for an unrelated one is caught.
 */
export const OrgTrust = z.object({
  organisationId: z.uuid(),
  pinnedFingerprint: Fingerprint,
  pinnedAt: IsoDateTime,
  history: OrgKeyHistory,
});
export type OrgTrust = z.infer<typeof OrgTrust>;

/**
 * The newest custody log checkpoint this laptop has checked: the signed note exactly as the
 * server sent it (evidence, should the log ever change), and when the laptop was shown it.
 */
export const StoredCheckpoint = z.object({
  note: z.string().min(1).max(4000),
  size: z.number().int().min(0),
  /** Standard base64, as in the note. */
  root: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** The time the server signed into the checkpoint. */
  time: z.iso.datetime(),
  seenAt: IsoDateTime,
});
export type StoredCheckpoint = z.infer<typeof StoredCheckpoint>;

/**
 * Why this laptop no longer trusts the server's custody log. `rewritten`: the log it shows now
 * does not extend the one it showed before (smaller, another root at the same size, or no valid
 * consistency proof). `untrusted`: the checkpoint is not signed by the pinned organisation key
 * (or a key rotated from it), or not for this organisation's log.
 */
export const CustodyLogAlarm = z.object({
  reason: z.enum(['rewritten', 'untrusted']),
  message: z.string().min(1),
  nextStep: z.string().min(1),
  /** Which check failed, with sizes and roots: for the supervisor and the office. */
  detail: z.string(),
  detectedAt: IsoDateTime,
  /** The checkpoint this laptop held, and the one the server offered (none when it is the key that changed): both signed, both kept. */
  heldNote: z.string().max(4000).nullable(),
  offeredNote: z.string().max(4000).nullable(),
});
export type CustodyLogAlarm = z.infer<typeof CustodyLogAlarm>;
