import type { Kysely } from 'kysely';
import { Role, type User } from '../../shared/domain/roles';
import type { Database, UsersTable } from './schema';

export interface UserRecord extends User {
  readonly passwordHash: string;
  readonly disabled: boolean;
}

export interface NewUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly createdAt: string;
}

export function toUserRecord(row: UsersTable): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: Role.parse(row.role),
    passwordHash: row.password_hash,
    disabled: row.disabled !== 0,
  };
}

export function toPublicUser(user: UserRecord): User {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

export function usersRepository(db: Kysely<Database>) {
  return {
    async count(): Promise<number> {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async findByUsername(username: string): Promise<UserRecord | undefined> {
      // User names are matched case-insensitively: "Agent1" at the login box is agent1.
      const row = await db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
      return row ? toUserRecord(row) : undefined;
    },

    async findById(id: string): Promise<UserRecord | undefined> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUserRecord(row) : undefined;
    },

    async list(filter: { role?: Role | undefined }): Promise<UserRecord[]> {
      let query = db.selectFrom('users').selectAll().where('disabled', '=', 0);
      if (filter.role) query = query.where('role', '=', filter.role);
      const rows = await query.orderBy('display_name').orderBy('id').execute();
      return rows.map(toUserRecord);
    },

    async enrol(user: NewUser): Promise<void> {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username.toLowerCase(),
          display_name: user.displayName,
          role: user.role,
          password_hash: user.passwordHash,
          disabled: 0,
          created_at: user.createdAt,
        })
        .execute();
    },
  };
}
