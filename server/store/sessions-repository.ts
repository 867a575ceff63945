import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { toUserRecord, type UserRecord } from './users-repository';

export interface SessionRecord {
  readonly tokenHash: string;
  readonly userId: string;
  readonly deviceId: string | null;
  /** When the user last typed their password; a refreshed session carries it forward. */
  readonly signedInAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}

/** What a request's token names: its session, the session's user and, if it has one, its device. */
export interface SessionCaller {
  readonly session: SessionRecord;
  readonly user: UserRecord;
  /** Undefined when the session has no device, or its device row is gone. */
  readonly device: { readonly revokedAt: string | null; readonly lastSeenAt: string } | undefined;
}

export function sessionsRepository(db: Kysely<Database>) {
  return {
    /**
     * The session, its user and its device in one statement: every request signs in, and on
     * PostgreSQL each statement is a round trip (three of them cost a fleet's pull more than its
     * page). Undefined when the token names no session, or a session whose user is gone.
     */
    async findCaller(tokenHash: string): Promise<SessionCaller | undefined> {
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .leftJoin('devices as d', 'd.id', 's.device_id')
        .selectAll('u')
        .select(['s.token_hash', 's.user_id', 's.device_id', 's.created_at as session_created_at', 's.expires_at', 's.revoked_at', 'd.id as device_row_id', 'd.revoked_at as device_revoked_at', 'd.last_seen_at as device_last_seen_at'])
        .where('s.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        session: { tokenHash: row.token_hash, userId: row.user_id, deviceId: row.device_id, signedInAt: row.session_created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at },
        user: toUserRecord(row),
        device: row.device_row_id === null || row.device_last_seen_at === null ? undefined : { revokedAt: row.device_revoked_at, lastSeenAt: row.device_last_seen_at },
      };
    },

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
