import type { Kysely, Migration } from 'kysely';

/** Dispatch: the audit trail, assignment history, and the lookup re-import matches on. */
export function dispatchSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dispatch_audit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text')
        .addColumn('detail_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dispatch_audit_job').on('dispatch_audit').columns(['job_id', 'at']).execute();
      await db.schema.createIndex('dispatch_audit_at').on('dispatch_audit').column('at').execute();

      await db.schema
        .createTable('job_assignments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('agent_id', 'text', (c) => c.references('users.id'))
        .addColumn('previous_agent_id', 'text', (c) => c.references('users.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .execute();
      await db.schema.createIndex('job_assignments_job').on('job_assignments').column('job_id').execute();

      await db.schema.createIndex('jobs_client_account').on('jobs').columns(['client_id', 'account_ref']).execute();
      await db.schema.createIndex('jobs_review').on('jobs').column('review_reason').execute();
    },
  };
}
