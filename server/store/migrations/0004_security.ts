import type { Kysely, Migration } from 'kysely';

/**
 * Security: failed sign-ins per account and per address (lockout with back-off survives a
 * restart and is shared by every server process on the database), and device revocation.
 */
export function securitySchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('login_throttle')
        // 'account:<user name>' or 'address:<ip>'; unknown user names are tracked the same way
        // as real ones, so a lockout does not reveal which names exist.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('last_failure_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();

      await db.schema.alterTable('devices').addColumn('revoked_at', 'text').execute();
      await db.schema.alterTable('devices').addColumn('revoked_by_user_id', 'text').execute();
      await db.schema.createIndex('sessions_device').on('sessions').column('device_id').execute();
    },
  };
}
