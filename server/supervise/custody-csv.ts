import { sql, type Kysely } from 'kysely';
import type { Readable } from 'node:stream';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import { spreadsheetSafeCell } from '../../shared/export/spreadsheet-safe';
import type { CustodyCsvQuery } from '../../shared/supervise/supervise-api';
import { startedStream } from '../http/streamed-export';
import { storeKindOf } from '../store/dialect';
import { rowsAsArrays } from '../store/rows-as-arrays';
import type { Database } from '../store/schema';
import { matchingEvents, userNames } from './custody-search';
import { isoWithOffsetByHour } from '../../shared/domain/time-zone';

/**
 * Events a page: small enough that a page's rows and text die young (with 2,000 the process grew by
 * 200 MB over 100,000 events, garbage the collector had promoted; with 500 it stays within ~20 MB
 * of heap whatever the export's size), large enough that a query per page costs little.
 */
const PAGE = 500;

/**
 * Characters a chunk of the answer holds, give or take one event's lines. A page's text as one
 * string (~560 KB) was past V8's largest ordinary object (128 KB): each such string, and the
 * bytes written for it, went to freshly mapped memory, whose page faults cost more here than
 * building the text. In chunks, 100,000 events took 2.1 s against 2.6 s, and the process grew by
 * 0–8 MB against 24–35 MB (custody-export.bench.ts, both ways in one process, four rounds).
 */
const CHUNK_CHARS = 32 * 1024;

export const custodyCsvHeader = [
  'event_id', 'at', 'kind', 'job_id', 'account_ref', 'client', 'customer', 'item_id', 'serial', 'previous_event_hash',
  'from_role', 'from_name', 'to_role', 'to_name', 'lat', 'lon', 'seal_number', 'photo_hashes', 'signature_hashes',
  'corrects_event_id', 'note', 'device_id', 'recorded_by', 'hash',
  // The same instant as `at` (UTC, as signed), read in the job's zone with its offset: what people compare with the customer's clock.
  'local_time',
] as const;

/** One cell, RFC 4180-quoted after neutralising formulas: the file is meant for spreadsheets. */
function csvCell(cell: string | number | null): string {
  const text = spreadsheetSafeCell(cell === null ? '' : String(cell));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Cells joined into part of a line, without its line break. */
function csvCells(cells: readonly (string | number | null)[]): string {
  let text = csvCell(cells[0] ?? null);
  for (let index = 1; index < cells.length; index += 1) text += `,${csvCell(cells[index] ?? null)}`;
  return text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${csvCells(cells)}\r\n`;
}

type Cell = string | number | null;

/** An event's columns as one page reads them, in the order pageEvents selects them. */
type EventRow = readonly [
  id: string, at: string, kind: string, jobId: string, hash: string,
  fromRole: string | null, fromName: string | null, toRole: string | null, toName: string | null, lat: number | null, lon: number | null,
  sealNumber: string | null, photoHashes: string | null, signatureHashes: string | null, correctsEventId: string | null, note: string | null,
  deviceId: string | null, recordedByUserId: string | null, eventJson: string | null,
];

/**
 * One page of the export: up to `pageSize` matching events after the keyset, read from the
 * columns migration 0020 added, so no event is parsed. An event an instance older than 0020
 * stored has no columns yet; its JSON comes along instead (`eventJson`), and only for such rows.
 * The job's cells are not joined here but read once per job (jobCellsReader).
 */
function pageEvents(db: Kysely<Database>, filter: CustodyCsvQuery, after: { at: string; id: string } | null, pageSize: number): Promise<EventRow[]> {
  return rowsAsArrays<EventRow, Database>(db, pageEventsQuery(db, filter, after, pageSize));
}

/** The query of one page (pageEvents); the tests read its plan. */
export function pageEventsQuery(db: Kysely<Database>, filter: CustodyCsvQuery, after: { at: string; id: string } | null, pageSize: number) {
  // After the first page the keyset is the lower bound, and it is at or past `from`. Both bounds
  // together made SQLite seek by `from` and walk every earlier page's events again on each page.
  let events = matchingEvents(db, after ? { ...filter, from: undefined } : filter, { inTimeOrder: true }).select([
    'ce.id', 'ce.at', 'ce.kind', 'ce.job_id', 'ce.hash',
    'ce.from_role', 'ce.from_name', 'ce.to_role', 'ce.to_name', 'ce.lat', 'ce.lon',
    'ce.seal_number', 'ce.photo_hashes', 'ce.signature_hashes', 'ce.corrects_event_id', 'ce.note',
    'ce.device_id', 'ce.recorded_by_user_id', sql<string | null>`case when ce.recorded_by_user_id is null then ce.data_json end`.as('event_json'),
  ]);
  if (after) events = events.where(sql<boolean>`(ce.at, ce.id) > (${after.at}, ${after.id})`);
  return events.orderBy('ce.at').orderBy('ce.id').limit(pageSize);
}

/** What a line prints of its event's job: account, client and customer, encoded; and the job's zone. */
interface JobCells {
  readonly accountRef: string;
  readonly client: string;
  readonly customer: string;
  readonly cells: string;
  readonly timeZone: string;
}

/** Jobs kept between pages; past this many they are forgotten, so an export's memory stays flat. */
const JOBS_KEPT = 10_000;

/**
 * The job cells of each page's events, read once per job and kept for the pages after: an
 * organisation's events far outnumber its jobs, and joining every event to its job and client
 * (and reading the customer's name from the job's JSON) was a third of the export's time.
 */
function jobCellsReader(db: Kysely<Database>) {
  const customer = storeKindOf(db) === 'postgres' ? sql<string | null>`j.customer_json::jsonb ->> 'name'` : sql<string | null>`json_extract(j.customer_json, '$.name')`;
  const kept = new Map<string, JobCells>();
  return async (events: readonly EventRow[]): Promise<ReadonlyMap<string, JobCells>> => {
    if (kept.size > JOBS_KEPT) kept.clear();
    const missing = new Set<string>();
    for (const event of events) if (!kept.has(event[3])) missing.add(event[3]);
    if (missing.size === 0) return kept;
    const rows = await db
      .selectFrom('jobs as j')
      .innerJoin('clients as c', 'c.id', 'j.client_id')
      .select(['j.id', 'j.account_ref', 'c.name as client_name', customer.as('customer'), 'j.time_zone'])
      .where('j.id', 'in', [...missing])
      .execute();
    for (const row of rows) {
      const cells = { accountRef: row.account_ref, client: row.client_name, customer: row.customer ?? '' };
      kept.set(row.id, { ...cells, cells: csvCells([cells.accountRef, cells.client, cells.customer]), timeZone: row.time_zone });
    }
    return kept;
  };
}

/** An item's columns, in the order itemsOf selects them. */
type ItemRow = readonly [eventId: string, itemId: string, serial: string, previousEventHash: string | null];

/**
 * The items of a page's events, each event's together and in the order the event lists them,
 * with where each event's run starts. A second query rather than a join: SQLite answered the join
 * several times slower than the two, and a join would repeat each event's columns per item.
 */
async function itemsOf(db: Kysely<Database>, events: readonly EventRow[]): Promise<{ rows: ItemRow[]; startOf: Map<string, number> }> {
  const ids = events.filter((event) => event[17] !== null).map((event) => event[0]);
  const startOf = new Map<string, number>();
  if (ids.length === 0) return { rows: [], startOf };
  const rows = await rowsAsArrays<ItemRow, Database>(
    db,
    db.selectFrom('custody_event_items').select(['event_id', 'item_id', 'serial', 'previous_event_hash']).where('event_id', 'in', ids).orderBy('event_id').orderBy('position'),
  );
  let previous: string | null = null;
  for (const [index, [eventId]] of rows.entries()) {
    if (eventId !== previous) startOf.set(eventId, index);
    previous = eventId;
  }
  return { rows, startOf };
}

/** The CSV cells of an event an older instance stored, read from its JSON as before migration 0020. */
function cellsFromJson(eventJson: string, job: JobCells, recordedBy: (userId: string) => string, localTime: (at: string, zone: string) => string): Cell[][] {
  const event = JSON.parse(eventJson) as CustodyEvent;
  return event.items.map((item) => [
    event.id, event.at, event.kind, event.jobId, job.accountRef, job.client, job.customer, item.itemId, item.serial, item.previousEventHash,
    event.from.role, event.from.name, event.to.role, event.to.name, event.place?.lat ?? null, event.place?.lon ?? null, event.sealNumber,
    event.photoHashes.join(' '), event.signatureHashes.join(' '), event.correctsEventId, event.note, event.deviceId, recordedBy(event.recordedByUserId), event.hash,
    localTime(event.at, job.timeZone),
  ]);
}

/**
 * Custody events (one row per event and item) as CSV, streamed page by page with a keyset over
 * (at, id) so a year of events never sits in memory; row-value comparison works on both stores.
 * Events were validated when they entered the store, so their fields are printed as stored.
 * The header travels with the first page, and that page is read before the answer starts; each
 * further page is read only when the one before has gone out (see startedStream). A page goes
 * out in chunks of about `chunkChars` characters (see CHUNK_CHARS).
 */
export async function custodyCsv(db: Kysely<Database>, filter: CustodyCsvQuery, pageSize = PAGE, chunkChars = CHUNK_CHARS): Promise<Readable> {
  const serialNeedle = filter.serial?.toLowerCase();
  // A serial search finds events through any of their items; only the items that match are lines.
  const keeps = (serial: string) => !serialNeedle || serial.toLowerCase().includes(serialNeedle);
  const localTime = isoWithOffsetByHour();
  async function* lines(): AsyncGenerator<string> {
    let header = csvLine(custodyCsvHeader);
    const names = await userNames(db);
    const recordedBy = (userId: string) => names.get(userId) ?? userId;
    const jobCells = jobCellsReader(db);
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const events = await pageEvents(db, filter, after, pageSize);
      const jobs = await jobCells(events);
      const items = await itemsOf(db, events);
      let chunk = '';
      for (const event of events) {
        if (chunk.length >= chunkChars) {
          yield header + chunk;
          header = '';
          chunk = '';
        }
        const [id, at, kind, jobId, hash, fromRole, fromName, toRole, toName, lat, lon, sealNumber, photoHashes, signatureHashes, correctsEventId, note, deviceId, recordedByUserId, eventJson] = event;
        // Every event has its job (a foreign key); the check only keeps the types honest.
        const job = jobs.get(jobId);
        if (!job) continue;
        if (recordedByUserId === null) {
          for (const line of cellsFromJson(eventJson ?? '{}', job, recordedBy, localTime)) if (keeps(String(line[8]))) chunk += csvLine(line);
          continue;
        }
        // The event's own cells are the same on each of its items' lines: encoded once.
        const head = `${csvCells([id, at, kind, jobId])},${job.cells}`;
        const tail = csvCells([
          fromRole, fromName, toRole, toName, lat, lon, sealNumber, photoHashes, signatureHashes,
          correctsEventId, note, deviceId, recordedBy(recordedByUserId), hash, localTime(at, job.timeZone),
        ]);
        for (let index = items.startOf.get(id) ?? items.rows.length; items.rows[index]?.[0] === id; index += 1) {
          const [, itemId, serial, previousEventHash] = items.rows[index] ?? ['', '', '', null];
          if (keeps(serial)) chunk += `${head},${csvCells([itemId, serial, previousEventHash])},${tail}\r\n`;
        }
      }
      if (chunk || header) yield header + chunk;
      header = '';
      const last = events.at(-1);
      if (!last || events.length < pageSize) return;
      after = { at: last[1], id: last[0] };
    }
  }
  return startedStream(lines());
}
