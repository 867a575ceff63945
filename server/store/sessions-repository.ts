import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface SessionRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly deviceId: string | null;
  /** When the user last typed their password; a refreshed session carries it forward. */
  readonly signedInAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

export function sessionsRepository(db: Kysely<Database>) {
  return {
    /** created_at holds when the password was typed, so a chain of refreshes keeps its first sign-in. */
    async open(session: { tokenHash: string; userId: string; deviceId: string | null; signedInAt: string; expiresAt: string }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          token_hash: session.tokenHash,
          user_id: session.userId,
          device_id: session.deviceId,
          created_at: session.signedInAt,
          expires_at: session.expiresAt,
          revoked_at: null,
        })
        .execute();
    },

    async find(tokenHash: string): Promise<SessionRecord | undefined> {
      const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return undefined;
      return {
        tokenHash: row.token_hash,
        userId: row.user_id,
        deviceId: row.device_id,
        signedInAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
      };
    },

    async revoke(tokenHash: string, at: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .execute();
    },
  };
}
