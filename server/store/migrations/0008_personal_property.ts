import type { Kysely, Migration } from 'kysely';

/**
 * Personal property found with recovered equipment: the entries (what, where, photos) and the
 * append-only events of what became of them. Stored as validated JSON like the other door
 * records; events carry property_id so a trail is one indexed read. Schema builder only, so it
 * runs on SQLite and PostgreSQL alike.
 */
export function personalPropertySchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('personal_property')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('personal_property_job').on('personal_property').column('job_id').execute();

      await db.schema
        .createTable('personal_property_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('property_id', 'text', (c) => c.notNull().references('personal_property.id'))
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('personal_property_events_job').on('personal_property_events').column('job_id').execute();
      await db.schema.createIndex('personal_property_events_property').on('personal_property_events').column('property_id').execute();
    },
  };
}
