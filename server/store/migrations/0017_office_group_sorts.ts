import type { Kysely, Migration } from 'kysely';

/**
 * Sorting the office table by agent or client walks the groups in name order and reads each
 * group's jobs in due order (officeJobsRepository().list): these indexes hand over a group's jobs
 * already in that order, so a page costs a few index probes instead of sorting 100,000 rows.
 * Additive only.
 */
export function officeGroupSortsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('jobs_by_agent_due').on('jobs').columns(['assigned_agent_id', 'sort_due', 'id']).execute();
      await db.schema.createIndex('jobs_by_client_due').on('jobs').columns(['client_id', 'sort_due', 'id']).execute();
    },
  };
}
