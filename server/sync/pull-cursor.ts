import type { Kysely } from 'kysely';
import { changeKindSince, type DoorEntity } from '../../shared/sync/door-protocol';
import type { Audience } from '../store/change-log';
import type { Database } from '../store/schema';

/**
 * A pull cursor is the server's text, digits only (shared/sync/protocol.ts Cursor); clients keep
 * it and send it back, never read it. It is the change sequence, and for a client whose protocol
 * predates some change kinds it also says so: one leading zero per protocol version ("07421" is
 * sequence 7421, read at protocol 1). Pull leaves those kinds out of that client's pages and
 * still moves its cursor past them, so it is never stuck. When the same laptop, updated, pulls at
 * a newer protocol with that cursor, the server knows which kinds it skipped and goes back to the
 * first of them it now reads: nothing recorded while the app was old is missing once it updates.
 * Servers before this read such a cursor as the number it is.
 */
export interface PullPosition {
  readonly seq: number;
  /** The protocol the client read at when it got the cursor, if it was older than every kind. */
  readonly readAt: number | null;
}

/** The protocol from which a client reads every change kind there is. */
const readsEveryKind = Math.max(1, ...Object.values(changeKindSince));

export function readCursor(text: string): PullPosition {
  const zeros = /^0*/.exec(text)?.[0].length ?? 0;
  if (zeros === 0 || zeros === text.length) return { seq: Number(text), readAt: null };
  return { seq: Number(text.slice(zeros)), readAt: zeros };
}

export function writeCursor(seq: number, protocolVersion: number): string {
  return seq > 0 && protocolVersion < readsEveryKind ? `${'0'.repeat(protocolVersion)}${seq}` : String(seq);
}

/** The change kinds a client at `now` reads that it did not at `before`. */
function kindsLearnedBetween(before: number, now: number): DoorEntity[] {
  return Object.entries(changeKindSince).flatMap(([kind, since]) => (since > before && since <= now ? [kind as DoorEntity] : []));
}

/**
 * Where a pull starts: the cursor's sequence, or earlier when the client has since learned kinds
 * it skipped before that sequence (just before the first such row for this audience). Going back
 * sends again what came after it, each record at its latest; clients apply a record they already
 * hold as the same upsert, so the cost is one longer pull, once.
 */
export async function pullStart(db: Kysely<Database>, audience: Audience, position: PullPosition, protocolVersion: number): Promise<number> {
  if (position.readAt === null || position.readAt >= protocolVersion) return position.seq;
  const learned = kindsLearnedBetween(position.readAt, protocolVersion);
  if (learned.length === 0) return position.seq;
  let query = db.selectFrom('changes').select((eb) => eb.fn.min('seq').as('first')).where('entity', 'in', learned).where('seq', '<=', position.seq);
  query = audience === 'office' ? query.where('audience_user_id', 'is', null) : query.where('audience_user_id', '=', audience.agentId);
  const row = await query.executeTakeFirst();
  return row?.first === null || row?.first === undefined ? position.seq : Number(row.first) - 1;
}
