import type { Kysely, Migration } from 'kysely';
import { withSequenceColumn, type StoreKind } from '../dialect';

/** The first schema. Shipped migrations are never edited; add 0002_… instead. */
export function initialSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('device_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text')
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('clients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
        .addColumn('account_ref', 'text', (c) => c.notNull())
        .addColumn('customer_json', 'text', (c) => c.notNull())
        .addColumn('address_json', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('appointment_json', 'text')
        .addColumn('instructions', 'text')
        .addColumn('items_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('assigned_agent_id', 'text', (c) => c.references('users.id'))
        .addColumn('review_reason', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status').on('jobs').column('status').execute();
      await db.schema.createIndex('jobs_assigned_agent').on('jobs').column('assigned_agent_id').execute();

      await db.schema
        .createTable('job_status_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('from_status', 'text', (c) => c.notNull())
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('reason', 'text')
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('job_status_changes_job').on('job_status_changes').column('job_id').execute();

      await db.schema
        .createTable('job_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('job_notes_job').on('job_notes').column('job_id').execute();

      await db.schema
        .createTable('applied_mutations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('result_json', 'text', (c) => c.notNull())
        .execute();

      await withSequenceColumn(db.schema.createTable('changes'), kind, 'seq')
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull())
        .addColumn('audience_user_id', 'text')
        .addColumn('op', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('changes_audience_seq')
        .on('changes')
        .columns(['audience_user_id', 'seq'])
        .execute();
    },
  };
}
