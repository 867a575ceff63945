import type { Kysely, Migration } from 'kysely';

/**
 * Supervise: the append-only audit log of every write, the office's signing keys for
 * dispositions, and the index custody search and exports by date range walk. Schema builder only, so it runs on SQLite and PostgreSQL alike.
 */
export function superviseSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('username', 'text')
        .addColumn('role', 'text')
        .addColumn('device_id', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('address', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_user').on('audit_log').columns(['user_id', 'at']).execute();
      // The office's Ed25519 keys for events the server records itself (dispositions). The public
      // half is an ordinary row in device_keys, so every verifier treats it like a laptop's key.
      await db.schema
        .createTable('office_signing_keys')
        .addColumn('device_key_id', 'text', (c) => c.primaryKey().references('device_keys.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
        .addColumn('private_pkcs8', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('custody_events_at').on('custody_events').columns(['at', 'id']).execute();
    },
  };
}
