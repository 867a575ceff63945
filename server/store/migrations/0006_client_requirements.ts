import type { Kysely, Migration } from 'kysely';

/**
 * Each client's evidence requirements, set by office users and sent to agents with their jobs.
 * One row per client that set any; a client without a row gets the default requirements.
 */
export function clientRequirementsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('client_requirements')
        .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id'))
        .addColumn('requirements_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .execute();

      // Departures from visits (pushed as their own append-only records, pulled folded into the
      // visit): shipped with the client checklist, which needs the visit closed.
      await db.schema
        .createTable('visit_departures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visit_departures_job').on('visit_departures').column('job_id').execute();
    },
  };
}
