import type { Kysely } from 'kysely';
import type { AdminDevice, AdminUser } from '../../shared/api/admin';
import { Role } from '../../shared/domain/roles';
import type { Database, UsersTable } from '../store/schema';

function toAdminUser(row: UsersTable): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: Role.parse(row.role),
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
  };
}

/** What the admin view reads and changes: every user (disabled ones too) and every device. */
export function adminRepository(db: Kysely<Database>) {
  return {
    async users(): Promise<AdminUser[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('disabled').orderBy('display_name').orderBy('id').execute();
      return rows.map(toAdminUser);
    },

    async user(id: string): Promise<AdminUser | undefined> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAdminUser(row) : undefined;
    },

    async activeAdmins(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async update(id: string, change: { displayName?: string | undefined; role?: Role | undefined; disabled?: boolean | undefined }): Promise<void> {
      await db
        .updateTable('users')
        .set({
          ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
          ...(change.role !== undefined ? { role: change.role } : {}),
          ...(change.disabled !== undefined ? { disabled: change.disabled ? 1 : 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },

    async devices(): Promise<AdminDevice[]> {
      const rows = await db
        .selectFrom('devices')
        .innerJoin('users', 'users.id', 'devices.user_id')
        .select([
          'devices.id as id',
          'devices.name as name',
          'devices.user_id as userId',
          'users.username as username',
          'users.display_name as displayName',
          'devices.last_seen_at as lastSeenAt',
          'devices.revoked_at as revokedAt',
          'devices.released_at as releasedAt',
        ])
        .orderBy('devices.last_seen_at', 'desc')
        .orderBy('devices.id')
        .execute();
      return rows;
    },

    async revokeDevice(id: string, byUserId: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('devices')
        .set({ revoked_at: at, revoked_by_user_id: byUserId })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
