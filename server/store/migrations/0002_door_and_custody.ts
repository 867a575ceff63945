import type { Kysely, Migration } from 'kysely';

/**
 * Work at the door and the custody chain. Records are append-only, stored as their validated
 * JSON plus the columns queries need; custody_item_heads makes "the latest event for this item"
 * one primary-key read when the next event is checked on push.
 */
export function doorAndCustodySchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const table of ['visits', 'item_reconciliations', 'photos', 'signatures']) {
        await db.schema
          .createTable(table)
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
          .addColumn('data_json', 'text', (c) => c.notNull())
          .addColumn('hlc', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex(`${table}_job`).on(table).column('job_id').execute();
      }

      await db.schema
        .createTable('device_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('custody_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('device_key_id', 'text', (c) => c.notNull().references('device_keys.id'))
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('hlc', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('custody_events_job').on('custody_events').column('job_id').execute();

      await db.schema
        .createTable('custody_event_items')
        .addColumn('event_id', 'text', (c) => c.notNull().references('custody_events.id'))
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('serial', 'text', (c) => c.notNull())
        .addColumn('previous_event_hash', 'text')
        .addPrimaryKeyConstraint('custody_event_items_pk', ['event_id', 'item_id'])
        .execute();
      await db.schema.createIndex('custody_event_items_item').on('custody_event_items').column('item_id').execute();
      await db.schema.createIndex('custody_event_items_serial').on('custody_event_items').column('serial').execute();

      await db.schema
        .createTable('custody_item_heads')
        .addColumn('item_id', 'text', (c) => c.primaryKey())
        .addColumn('event_hash', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
