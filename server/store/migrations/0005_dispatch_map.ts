import type { Kysely, Migration } from 'kysely';

/** The dispatch map: when each user's laptop last pulled, shown next to the agent's name. */
export function dispatchMapSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('user_last_sync')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
        .addColumn('last_sync_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
