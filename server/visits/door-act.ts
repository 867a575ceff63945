import type { Kysely } from 'kysely';
import type { Job } from '../../shared/domain/job';
import type { CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { jobWithinScope, scopeOf } from '../../shared/auth/role-matrix';
import type { MutationResult } from '../../shared/sync/protocol';
import type { Principal } from '../auth/principal';
import { blobAccess } from '../blobs/blob-access';
import { assignmentHistory } from '../dispatch/assignment-history';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';
import type { OrgSigningKey } from '../trust/org-signing-key';

/** What applying a door mutation needs beyond the database: blob presence, WebCrypto, the organisation key. */
export interface DoorServices {
  blobExists(sha256: string): Promise<boolean>;
  readonly subtle: CustodySubtleCrypto;
  /** Certifies the device keys the server accepts. */
  readonly orgKey: OrgSigningKey;
}

export interface DoorAct {
  readonly db: Kysely<Database>;
  readonly principal: Principal;
  readonly at: string;
  readonly hlc: string;
  readonly services: DoorServices;
}

export type DoorOutcome = Omit<MutationResult, 'id'>;

export const applied: DoorOutcome = { outcome: 'applied', reason: null, code: null };

export function refused(code: NonNullable<MutationResult['code']>, reason: string): DoorOutcome {
  return { outcome: 'rejected', code, reason };
}

/** The job a door record is about, and whether it was taken from this agent since they held it. */
export interface DoorJob {
  readonly job: Job;
  readonly moved: boolean;
}

/**
 * Agents record door work on jobs assigned to them; office users on any job. Door work an agent
 * did offline on a job that was re-assigned before they synced is a physical fact: it is kept
 * (and the job flagged by the caller), never refused. An agent who never held the job is refused.
 */
export async function doorJob(act: DoorAct, jobId: string): Promise<DoorJob | DoorOutcome> {
  const job = await jobsRepository(act.db).find(jobId);
  if (!job) return refused('not_found', 'The job no longer exists on the server.');
  const scope = scopeOf('sync.push', act.principal.role);
  if (scope === null || !jobWithinScope(scope, act.principal.userId, job)) {
    if (await assignmentHistory(act.db).heldBefore(job.id, act.principal.userId)) return { job, moved: true };
    return refused('forbidden', 'This job is not assigned to you; the record was not applied.');
  }
  return { job, moved: false };
}

export function isDoorJob(value: DoorJob | DoorOutcome): value is DoorJob {
  return 'job' in value && 'moved' in value;
}

/**
 * Blobs travel first; a row naming one the server lacks waits (retryable) rather than failing.
 * A blob the pusher may not read counts as lacking (see blobAccess().mayName), with the same words.
 */
export async function missingBlobs(act: DoorAct, hashes: readonly string[]): Promise<DoorOutcome | null> {
  for (const hash of hashes) {
    if (!(await act.services.blobExists(hash)) || !(await blobAccess(act.db).mayName(hash, act.principal))) {
      return refused('blob_missing', `The file ${hash.slice(0, 12)}… has not been uploaded yet; this record will be sent again after it is.`);
    }
  }
  return null;
}
