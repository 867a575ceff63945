import { sql, type Kysely } from 'kysely';
import { fromHex, toHex } from '../../shared/custody/crypto-port';
import type { LogCheckpoint } from '../../shared/api/trust';
import { custodyLogOrigin, signCheckpoint } from '../../shared/trust/checkpoint';
import { LogLeaf, logLeafBytes, UtcTime } from '../../shared/trust/log-leaf';
import { HASH_BYTES, LogProofError, proveRecord, proveTree, storedHashCount, storedHashes, treeHash, type Hash, type HashReader } from '../../shared/trust/merkle-log';
import { CHANGE_LOG_LOCK_KEY, storeKindOf } from '../store/dialect';
import type { Database } from '../store/schema';
import type { OrgSigningKey } from './org-signing-key';

/**
 * The custody transparency log on the server: the shared RFC 6962 log (shared/trust/merkle-log.ts)
 * over two tables, leaves by position and hashes in Go tlog's storage layout. Appends happen in
 * the transaction that accepts the event, one appender at a time, so leaf indexes are dense and
 * every committed prefix of the log is a tree whose stored hashes are all present.
 */

/** Rows per IN (…) list: far below SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 1000;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

async function readHashMap(db: Kysely<Database>, indexes: readonly number[]): Promise<Map<number, Hash>> {
  const found = new Map<number, Hash>();
  for (const part of chunks([...new Set(indexes)])) {
    const rows = await db.selectFrom('custody_log_hashes').select(['hash_index', 'hash']).where('hash_index', 'in', part).execute();
    for (const row of rows) found.set(Number(row.hash_index), fromHex(row.hash));
  }
  return found;
}

function mapReader(hashes: ReadonlyMap<number, Hash>): HashReader {
  return {
    async readHashes(indexes) {
      return indexes.map((index) => {
        const hash = hashes.get(index);
        if (!hash) throw new LogProofError(`the custody log has no stored hash at index ${index}`);
        return hash;
      });
    },
  };
}

/** Reads stored hashes from the database, one query per call. */
export function databaseHashReader(db: Kysely<Database>): HashReader {
  return { readHashes: async (indexes) => mapReader(await readHashMap(db, indexes)).readHashes(indexes) };
}

const placeholder: Hash = new Uint8Array(HASH_BYTES);

/** Runs proof makers twice: once to learn every hash they need, then over one batched read. */
async function withPrefetchedHashes<T>(db: Kysely<Database>, make: (reader: HashReader) => Promise<T>): Promise<T> {
  const wanted: number[] = [];
  await make({
    async readHashes(indexes) {
      wanted.push(...indexes);
      return indexes.map(() => placeholder);
    },
  });
  return make(mapReader(await readHashMap(db, wanted)));
}

/** An event's place in the log and the proof that it is in the tree of a given size. */
export interface InclusionProof {
  readonly leafIndex: number;
  readonly leaf: LogLeaf;
  /** Sibling hashes from the leaf up, lowercase hex. */
  readonly proof: string[];
}

async function logSize(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('custody_log').select((eb) => eb.fn.max('leaf_index').as('last')).executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/**
 * Appends one accepted custody event to the log, inside the transaction that stores the event.
 * On PostgreSQL it takes the change log's advisory lock (held to commit): one appender at a
 * time, and leaf order is commit order. It is the same lock, not a second one, because the push
 * that appends a custody event also appends to the change log in the same transaction; two
 * locks taken in either order by different pushes could deadlock. SQLite has one writer anyway.
 */
export async function appendToCustodyLog(trx: Kysely<Database>, leaf: LogLeaf): Promise<number> {
  if (!trx.isTransaction) throw new Error('a custody log append belongs in the transaction that stores the event');
  if (storeKindOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(CHANGE_LOG_LOCK_KEY)})`.execute(trx);
  const bytes = logLeafBytes(leaf);
  const n = await logSize(trx);
  const hashes = await storedHashes(n, bytes, databaseHashReader(trx));
  const first = storedHashCount(n);
  await trx.insertInto('custody_log').values({ leaf_index: n, event_id: leaf.eventId, leaf_json: new TextDecoder().decode(bytes), logged_at: leaf.loggedAt }).execute();
  await trx
    .insertInto('custody_log_hashes')
    .values(hashes.map((hash, i) => ({ hash_index: first + i, hash: toHex(hash) })))
    .execute();
  return n;
}

/** The leaf for an event the server accepted at receivedAt. */
export function logLeafFor(event: { id: string; hash: string; jobId: string; deviceKeyId: string }, receivedAt: string): LogLeaf {
  const loggedAt = UtcTime.safeParse(receivedAt).success ? receivedAt : new Date(receivedAt).toISOString();
  return LogLeaf.parse({ format: 'reclaim-custody-log-leaf-v1', eventId: event.id, eventHash: event.hash, jobId: event.jobId, deviceKeyId: event.deviceKeyId, loggedAt });
}

/** Thrown for a size or range the log cannot answer for (the routes answer 400 or 404 with it). */
export class CustodyLogRangeError extends Error {
  override readonly name = 'CustodyLogRangeError';
}

export function custodyLog(db: Kysely<Database>) {
  async function requireSize(treeSize: number, what: string): Promise<void> {
    const size = await logSize(db);
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > size) throw new CustodyLogRangeError(`${what} ${treeSize} is beyond the log, which holds ${size} records`);
  }

  async function leaves(eventIds: readonly string[]): Promise<Map<string, { leafIndex: number; leaf: LogLeaf }>> {
    const found = new Map<string, { leafIndex: number; leaf: LogLeaf }>();
    for (const part of chunks([...new Set(eventIds)])) {
      const rows = await db.selectFrom('custody_log').select(['leaf_index', 'event_id', 'leaf_json']).where('event_id', 'in', part).execute();
      for (const row of rows) found.set(row.event_id, { leafIndex: Number(row.leaf_index), leaf: LogLeaf.parse(JSON.parse(row.leaf_json)) });
    }
    return found;
  }

  async function inclusionProofs(eventIds: readonly string[], treeSize: number): Promise<Map<string, InclusionProof>> {
    await requireSize(treeSize, 'The tree size');
    const inTree = [...(await leaves(eventIds))].filter(([, entry]) => entry.leafIndex < treeSize);
    const proofs = await withPrefetchedHashes(db, (reader) => Promise.all(inTree.map(([, entry]) => proveRecord(treeSize, entry.leafIndex, reader))));
    return new Map(inTree.map(([eventId, entry], i) => [eventId, { ...entry, proof: (proofs[i] ?? []).map(toHex) }]));
  }

  return {
    /** How many records the log holds. */
    size: () => logSize(db),

    /** The root of the first `size` records. */
    async treeHash(size: number): Promise<Hash> {
      await requireSize(size, 'The tree size');
      return treeHash(size, databaseHashReader(db));
    },

    /** The log's current size and root, signed by the organisation key at the current time. */
    async signedCheckpoint(context: { readonly orgKey: OrgSigningKey }): Promise<LogCheckpoint> {
      const size = await logSize(db);
      const root = await treeHash(size, databaseHashReader(db));
      const key = await context.orgKey.inUse(db);
      const checkpoint = await signCheckpoint({ origin: custodyLogOrigin(key.organisationId), size, root, time: key.at }, key.noteSigner);
      return { checkpoint, size, root: toHex(root), time: key.at };
    },

    leaves,

    /** Null when the event is not in the tree of that size (not logged, or logged later). */
    async inclusionProof(eventId: string, treeSize: number): Promise<InclusionProof | null> {
      return (await inclusionProofs([eventId], treeSize)).get(eventId) ?? null;
    },

    /** Proofs for many events against one tree size, read in a few batched queries (bundle export). */
    inclusionProofs,

    /** Proves the tree of size `from` is a prefix of the tree of size `to`; lowercase hex. */
    async consistencyProof(from: number, to: number): Promise<string[]> {
      await requireSize(to, 'The tree size');
      if (!Number.isSafeInteger(from) || from < 0 || from > to) throw new CustodyLogRangeError(`A log of ${from} records cannot be a prefix of a log of ${to}`);
      if (from === 0 || from === to) return [];
      return (await withPrefetchedHashes(db, (reader) => proveTree(to, from, reader))).map(toHex);
    },
  };
}

export type CustodyLog = ReturnType<typeof custodyLog>;
