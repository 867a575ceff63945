import type { Kysely, Migration } from 'kysely';
import { fromHex, toHex } from '../../../shared/custody/crypto-port';
import { LOG_LEAF_FORMAT, logLeafBytes, UtcTime, type LogLeaf } from '../../../shared/trust/log-leaf';
import { storedHashCount, storedHashes, type Hash, type HashReader } from '../../../shared/trust/merkle-log';

/**
 * The trust model's tables: the organisation (its id, made once at first start), its signing
 * keys (sealed, one current, the rest retired by rotation statements), the certificates it
 * issues for device keys, and the custody transparency log (leaves, and the hashes stored in Go
 * tlog's layout so any root or proof is a handful of reads).
 *
 * Every custody event already accepted enters the log here, in (hlc, id) order — the order a
 * verifier walks a job — logged at the time the server received it. This needs no key (leaves
 * are unsigned; checkpoints are signed later, when asked for), so the migration is the same on
 * every instance and every run.
 */
export function custodyLogSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('organisation')
        // Always 1: the primary key makes "insert if absent" a race two instances cannot both win.
        .addColumn('singleton', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('org_signing_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // 1 for the first key, +1 per rotation; unique, so two instances never both add one.
        .addColumn('generation', 'integer', (c) => c.notNull().unique())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        // The rotation statement (a signed note by the previous key and this one); null for the first.
        .addColumn('rotation_note', 'text')
        .execute();

      await db.schema
        .createTable('device_certificates')
        .addColumn('serial', 'text', (c) => c.primaryKey())
        .addColumn('device_key_id', 'text', (c) => c.notNull().references('device_keys.id'))
        // 1 for the first certificate of a key, +1 for each re-issue (revocation, re-enabling).
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text')
        .addColumn('signed_json', 'text', (c) => c.notNull())
        .addUniqueConstraint('device_certificates_key_revision', ['device_key_id', 'revision'])
        .execute();

      await db.schema
        .createTable('custody_log')
        .addColumn('leaf_index', 'bigint', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull().unique().references('custody_events.id'))
        .addColumn('leaf_json', 'text', (c) => c.notNull())
        .addColumn('logged_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('custody_log_hashes')
        .addColumn('hash_index', 'bigint', (c) => c.primaryKey())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await backfillCustodyLog(db.withTables<BackfillTables>());
    },
  };
}

type BackfillTables = {
  custody_events: { id: string; job_id: string; hash: string; device_key_id: string; hlc: string; received_at: string };
  custody_log: { leaf_index: number; event_id: string; leaf_json: string; logged_at: string };
  custody_log_hashes: { hash_index: number; hash: string };
};

const PAGE = 500;

/** A time as the log writes it: the stored text when it is already ISO-8601 UTC, else the same instant re-spelled. */
function loggedAt(receivedAt: string): string {
  if (UtcTime.safeParse(receivedAt).success) return receivedAt;
  const time = new Date(receivedAt);
  if (Number.isNaN(time.getTime())) throw new Error(`a custody event has an unreadable receive time: ${JSON.stringify(receivedAt)}`);
  return time.toISOString();
}

async function backfillCustodyLog(db: Kysely<BackfillTables>): Promise<void> {
  // Hashes made in this page are read back from memory; older siblings (the log's right edge)
  // from the table, so a large history never has to fit in memory at once.
  let recent = new Map<number, Hash>();
  const reader: HashReader = {
    async readHashes(indexes) {
      const missing = indexes.filter((index) => !recent.has(index));
      if (missing.length > 0) {
        const rows = await db.selectFrom('custody_log_hashes').select(['hash_index', 'hash']).where('hash_index', 'in', missing).execute();
        for (const row of rows) recent.set(Number(row.hash_index), fromHex(row.hash));
      }
      return indexes.map((index) => {
        const hash = recent.get(index);
        if (!hash) throw new Error(`the custody log lost its stored hash ${index}`);
        return hash;
      });
    },
  };

  let n = 0;
  let after: { hlc: string; id: string } | null = null;
  for (;;) {
    let query = db.selectFrom('custody_events').select(['id', 'job_id', 'hash', 'device_key_id', 'hlc', 'received_at']);
    if (after) {
      const last: { hlc: string; id: string } = after;
      query = query.where((eb) => eb.or([eb('hlc', '>', last.hlc), eb.and([eb('hlc', '=', last.hlc), eb('id', '>', last.id)])]));
    }
    const events = await query.orderBy('hlc').orderBy('id').limit(PAGE).execute();
    if (events.length === 0) return;
    const leaves: BackfillTables['custody_log'][] = [];
    const hashes: BackfillTables['custody_log_hashes'][] = [];
    for (const event of events) {
      const leaf: LogLeaf = { format: LOG_LEAF_FORMAT, eventId: event.id, eventHash: event.hash, jobId: event.job_id, deviceKeyId: event.device_key_id, loggedAt: loggedAt(event.received_at) };
      const bytes = logLeafBytes(leaf);
      const stored = await storedHashes(n, bytes, reader);
      const first = storedHashCount(n);
      stored.forEach((hash, i) => {
        recent.set(first + i, hash);
        hashes.push({ hash_index: first + i, hash: toHex(hash) });
      });
      leaves.push({ leaf_index: n, event_id: event.id, leaf_json: new TextDecoder().decode(bytes), logged_at: leaf.loggedAt });
      n += 1;
    }
    await db.insertInto('custody_log').values(leaves).execute();
    for (let i = 0; i < hashes.length; i += PAGE) await db.insertInto('custody_log_hashes').values(hashes.slice(i, i + PAGE)).execute();
    recent = new Map();
    const lastEvent = events.at(-1);
    if (!lastEvent || events.length < PAGE) return;
    after = { hlc: lastEvent.hlc, id: lastEvent.id };
  }
}
