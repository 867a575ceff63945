import { z } from 'zod';
import { Sha256Hex } from '../domain/visit';
import { LogLeaf, UtcTime } from '../trust/log-leaf';
import { OrgKeyHistory, OrgSigningKeyInfo } from '../trust/org-key';

/**
 * The trust endpoints: the organisation key a verifier pins, its rotations, and the custody
 * transparency log's signed checkpoint and proofs (RFC 9162 section 2.1.3 and 2.1.4), hashes in
 * lowercase hex. See shared/trust/ for what each one proves and how to check it.
 */
export { OrgKeyHistory, OrgSigningKeyInfo };

export const OrgKeyRotationResult = z.strictObject({
  previous: OrgSigningKeyInfo,
  current: OrgSigningKeyInfo,
  /** The rotation statement, a signed note by both keys (also the newest entry of the history). */
  rotation: z.string().max(4000),
  at: UtcTime,
});
export type OrgKeyRotationResult = z.infer<typeof OrgKeyRotationResult>;

/** A signed checkpoint of the custody log and what it says, for readers that do not parse notes. */
export const LogCheckpoint = z.strictObject({
  /** The C2SP signed note (shared/trust/checkpoint.ts), signed by the organisation key. */
  checkpoint: z.string().max(4000),
  size: z.number().int().nonnegative(),
  root: Sha256Hex,
  time: UtcTime,
});
export type LogCheckpoint = z.infer<typeof LogCheckpoint>;

/** A log size as a query parameter: a whole number of records. */
const LogSize = z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const InclusionQuery = z.object({
  eventId: z.uuid(),
  /** The size of the checkpoint to prove against; the current size when absent. */
  treeSize: LogSize.optional(),
});

export const InclusionProofAnswer = z.strictObject({
  treeSize: z.number().int().positive(),
  leafIndex: z.number().int().nonnegative(),
  /** The leaf; its RFC 8785 bytes are what the log hashed (shared/trust/log-leaf.ts logLeafBytes). */
  leaf: LogLeaf,
  /** Sibling hashes from the leaf up. */
  proof: z.array(Sha256Hex).max(64),
});
export type InclusionProofAnswer = z.infer<typeof InclusionProofAnswer>;

export const ConsistencyQuery = z.object({ from: LogSize, to: LogSize });

export const ConsistencyProofAnswer = z.strictObject({
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  /** Empty when from is 0 or equals to: every log extends the empty log and itself. */
  proof: z.array(Sha256Hex).max(128),
});
export type ConsistencyProofAnswer = z.infer<typeof ConsistencyProofAnswer>;
