import type { Kysely, Migration } from 'kysely';

/**
 * Custody events the server refused from the chain are kept aside, never lost: the signed event
 * as it arrived, who pushed it from which device, and which rule refused it, for the office to
 * read beside the job's review flag. Devices can be released by an admin, so that the next user
 * may register a laptop that belonged to someone else (their keys and records stay theirs).
 */
export function custodyRejectionsSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('custody_rejections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        // No reference to jobs: an event naming a job the server does not have is kept too.
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('event_json', 'text', (c) => c.notNull())
        .addColumn('pushed_by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('device_id', 'text')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('custody_rejections_job').on('custody_rejections').columns(['job_id', 'at']).execute();
      await db.schema.createIndex('custody_rejections_event').on('custody_rejections').column('event_id').execute();

      await db.schema.alterTable('devices').addColumn('released_at', 'text').execute();
      await db.schema.alterTable('devices').addColumn('released_by_user_id', 'text').execute();
    },
  };
}
