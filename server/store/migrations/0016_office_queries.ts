import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../dialect';

/*
 * The office screens query the server (issue 15): every sort and filter the office table offers
 * has an index, and the search box a words index. The sort keys that live inside JSON or need an
 * order other than the text's are generated columns, so the database keeps them true on every
 * write, including writes by an older instance that has never heard of them (a rolling upgrade).
 * Additive only. The lists below are frozen as shipped: a new status or priority is a new
 * migration, never an edit here.
 */

const statusOrder = ['unassigned', 'assigned', 'en_route', 'on_site', 'attempted', 'partially_recovered', 'recovered', 'on_hold', 'cancelled', 'closed'];
const priorityOrder = ['urgent', 'high', 'normal', 'low'];

function rankOf(column: string, values: readonly string[]): string {
  return `case ${column} ${values.map((value, index) => `when '${value}' then ${index}`).join(' ')} else ${values.length} end`;
}

async function addGeneratedColumns(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  // SQLite adds generated columns only as VIRTUAL (computed on read, indexable); PostgreSQL only as STORED.
  const storage = kind === 'postgres' ? 'stored' : 'virtual';
  const customerName = kind === 'postgres' ? `lower((customer_json::jsonb)->>'name')` : `lower(json_extract(customer_json, '$.name'))`;
  const columns: [string, string, string][] = [
    ['sort_customer', 'text', customerName],
    // Jobs without a due date sort after every dated one in both stores, ascending.
    ['sort_due', 'text', `coalesce(due_date, '9999-12-31')`],
    ['status_rank', 'integer', rankOf('status', statusOrder)],
    ['priority_rank', 'integer', rankOf('priority', priorityOrder)],
  ];
  for (const [name, type, expression] of columns) {
    await sql.raw(`alter table jobs add column ${name} ${type} generated always as (${expression}) ${storage}`).execute(db);
  }
}

async function addSortAndFilterIndexes(db: Kysely<unknown>): Promise<void> {
  const indexes: [string, string[]][] = [
    ['jobs_by_due', ['sort_due', 'id']],
    ['jobs_by_customer', ['sort_customer', 'id']],
    ['jobs_by_account', ['account_ref', 'id']],
    ['jobs_by_status_rank', ['status_rank', 'sort_due', 'id']],
    ['jobs_by_priority', ['priority_rank', 'sort_due', 'id']],
    ['jobs_by_updated', ['updated_at', 'id']],
    ['jobs_by_status_due', ['status', 'sort_due', 'id']],
    ['jobs_by_agent', ['assigned_agent_id', 'status', 'sort_due']],
    ['jobs_by_client', ['client_id', 'status', 'sort_due']],
    ['jobs_by_priority_status', ['priority', 'status']],
    ['clients_by_name', ['name', 'id']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on(name === 'clients_by_name' ? 'clients' : 'jobs').columns(columns).execute();
  }
  // The review inbox: a handful of flagged jobs among 100,000, newest change first.
  await sql`create index jobs_flagged_by_updated on jobs (updated_at, id) where review_reason is not null`.execute(db);
}

/**
 * SQLite: an FTS5 index with the trigram tokenizer over the same search text, so a word typed in
 * the search box matches anywhere inside a serial or an account ("0000512" finds SN00000512) with
 * an index lookup instead of a scan. External content: the text lives once, in jobs; triggers
 * keep the index in step with every insert, update and delete.
 */
async function addSqliteWordsIndex(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table jobs_search using fts5(search_text, content='jobs', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`create trigger jobs_search_insert after insert on jobs begin
    insert into jobs_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`create trigger jobs_search_delete after delete on jobs begin
    insert into jobs_search(jobs_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
  end`.execute(db);
  await sql`create trigger jobs_search_update after update of search_text on jobs begin
    insert into jobs_search(jobs_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
    insert into jobs_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`insert into jobs_search(jobs_search) values ('rebuild')`.execute(db);
}

/**
 * PostgreSQL: a trigram GIN index makes `search_text like '%word%'` an index lookup. pg_trgm ships
 * with PostgreSQL but creating an extension may need rights the server's role lacks; then search
 * still answers the same, by a scan (measured in tests/bench/office-list.bench.ts).
 */
async function addPostgresWordsIndex(db: Kysely<unknown>): Promise<void> {
  await sql`savepoint office_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create index jobs_search_trgm on jobs using gin (search_text gin_trgm_ops)`.execute(db);
    await sql`release savepoint office_trgm`.execute(db);
  } catch {
    await sql`rollback to savepoint office_trgm`.execute(db);
  }
}

export function officeQueriesSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addGeneratedColumns(db, kind);
      await addSortAndFilterIndexes(db);
      if (kind === 'sqlite') await addSqliteWordsIndex(db);
      else await addPostgresWordsIndex(db);
    },
  };
}
