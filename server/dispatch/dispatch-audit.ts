import type { Kysely } from 'kysely';
import type { DispatchAuditEntry } from '../../shared/dispatch/dispatch-api';
import { newId } from '../../shared/ids';
import type { Database } from '../store/schema';

export interface AuditRecord {
  readonly at: string;
  readonly userId: string;
  /** e.g. job.created, job.changed, job.imported, job.assigned, review.cleared */
  readonly action: string;
  readonly jobId: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The dispatcher audit trail: append-only, written in the same transaction as the change. */
export function dispatchAudit(db: Kysely<Database>) {
  return {
    async record(entries: readonly AuditRecord[]): Promise<void> {
      // SQLite caps bound parameters per statement; 500 rows × 6 columns stays well under it.
      for (let start = 0; start < entries.length; start += 500) {
        const chunk = entries.slice(start, start + 500);
        await db
          .insertInto('dispatch_audit')
          .values(chunk.map((entry) => ({ id: newId(), at: entry.at, user_id: entry.userId, action: entry.action, job_id: entry.jobId, detail_json: JSON.stringify(entry.detail) })))
          .execute();
      }
    },

    async list(filter: { jobId?: string | undefined; limit: number }): Promise<DispatchAuditEntry[]> {
      let query = db.selectFrom('dispatch_audit').selectAll();
      if (filter.jobId) query = query.where('job_id', '=', filter.jobId);
      const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map((row) => ({
        id: row.id,
        at: row.at,
        userId: row.user_id,
        action: row.action,
        jobId: row.job_id,
        detail: JSON.parse(row.detail_json) as Record<string, unknown>,
      }));
    },
  };
}
