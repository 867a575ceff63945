import type { Kysely } from 'kysely';
import type { Job } from '../../shared/domain/job';
import type { Database } from '../store/schema';
import { assignmentHistory } from './assignment-history';
import { dispatchAudit } from './dispatch-audit';

export interface OfficeWrite {
  readonly db: Kysely<Database>;
  readonly userId: string;
  readonly at: string;
}

/**
 * Records an office write to a job: the audit line (who, when, what changed) and, when the
 * job changed hands, the assignment history that sync relies on. Called by every office write
 * path (create, edit, bulk assignment, hold/cancel) inside its transaction.
 */
export async function recordOfficeWrite(write: OfficeWrite, before: Job | null, after: Job, action: string, detail: Record<string, unknown> = {}): Promise<void> {
  const previousAgentId = before?.assignedAgentId ?? null;
  const moved = previousAgentId !== after.assignedAgentId;
  if (moved) {
    await assignmentHistory(write.db).record({ jobId: after.id, agentId: after.assignedAgentId, previousAgentId, at: write.at, byUserId: write.userId });
  }
  const statusChanged = before !== null && before.status !== after.status;
  await dispatchAudit(write.db).record([
    {
      at: write.at,
      userId: write.userId,
      action,
      jobId: after.id,
      detail: {
        ...detail,
        ...(moved ? { fromAgentId: previousAgentId, toAgentId: after.assignedAgentId } : {}),
        ...(statusChanged ? { fromStatus: before.status, toStatus: after.status } : {}),
        version: after.version,
      },
    },
  ]);
}
