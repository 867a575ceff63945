import { sql, type Kysely } from 'kysely';
import type { Readable } from 'node:stream';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import { spreadsheetSafeCell } from '../../shared/export/spreadsheet-safe';
import type { CustodyCsvQuery } from '../../shared/supervise/supervise-api';
import { startedStream } from '../http/streamed-export';
import { storeKindOf } from '../store/dialect';
import type { Database } from '../store/schema';
import { matchingEvents, userNames } from './custody-search';
import { isoWithOffsetByHour } from '../../shared/domain/time-zone';

const PAGE = 2000;

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

/**
 * One page of the export: up to `pageSize` matching events after the keyset, read from the
 * columns migration 0020 added, so no event is parsed. An event an instance older than 0020
 * stored has no columns yet; its JSON comes along instead (`event_json`), and only for such rows.
 */
function pageEvents(db: Kysely<Database>, filter: CustodyCsvQuery, after: { at: string; id: string } | null, pageSize: number) {
  const customer = storeKindOf(db) === 'postgres' ? sql<string | null>`j.customer_json::jsonb ->> 'name'` : sql<string | null>`json_extract(j.customer_json, '$.name')`;
  let events = matchingEvents(db, filter).select([
    'ce.id', 'ce.at', 'ce.kind', 'ce.job_id', 'ce.hash', 'j.account_ref', 'c.name as client_name', customer.as('customer'), 'j.time_zone',
    'ce.from_role', 'ce.from_name', 'ce.to_role', 'ce.to_name', 'ce.lat', 'ce.lon', 'ce.seal_number', 'ce.photo_hashes', 'ce.signature_hashes',
    'ce.corrects_event_id', 'ce.note', 'ce.device_id', 'ce.recorded_by_user_id',
    sql<string | null>`case when ce.recorded_by_user_id is null then ce.data_json end`.as('event_json'),
  ]);
  if (after) events = events.where(sql<boolean>`(ce.at, ce.id) > (${after.at}, ${after.id})`);
  return events.orderBy('ce.at').orderBy('ce.id').limit(pageSize).execute();
}

/**
 * The items of a page's events, each event's in the order it lists them. A second query rather
 * than a join: SQLite answered the join several times slower than the two.
 */
async function itemsOf(db: Kysely<Database>, eventIds: readonly string[]) {
  const items = new Map<string, { item_id: string; serial: string; previous_event_hash: string | null }[]>();
  if (eventIds.length === 0) return items;
  const rows = await db
    .selectFrom('custody_event_items')
    .select(['event_id', 'item_id', 'serial', 'previous_event_hash'])
    .where('event_id', 'in', [...eventIds])
    .orderBy('event_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = items.get(row.event_id);
    if (list) list.push(row);
    else items.set(row.event_id, [row]);
  }
  return items;
}

type PageEvent = Awaited<ReturnType<typeof pageEvents>>[number];

/** The CSV cells of an event an older instance stored, read from its JSON as before migration 0020. */
function cellsFromJson(row: PageEvent, recordedBy: (userId: string) => string, localTime: (at: string, zone: string) => string): Cell[][] {
  const event = JSON.parse(row.event_json ?? '{}') as CustodyEvent;
  return event.items.map((item) => [
    event.id, event.at, event.kind, event.jobId, row.account_ref, row.client_name, row.customer ?? '', item.itemId, item.serial, item.previousEventHash,
    event.from.role, event.from.name, event.to.role, event.to.name, event.place?.lat ?? null, event.place?.lon ?? null, event.sealNumber,
    event.photoHashes.join(' '), event.signatureHashes.join(' '), event.correctsEventId, event.note, event.deviceId, recordedBy(event.recordedByUserId), event.hash,
    localTime(event.at, row.time_zone),
  ]);
}

/**
 * Custody events (one row per event and item) as CSV, streamed page by page with a keyset over
 * (at, id) so a year of events never sits in memory; row-value comparison works on both stores.
 * Events were validated when they entered the store, so their fields are printed as stored.
 * The header travels with the first page, and that page is read before the answer starts; each
 * further page is read only when the one before has gone out (see startedStream).
 */
export async function custodyCsv(db: Kysely<Database>, filter: CustodyCsvQuery, pageSize = PAGE): Promise<Readable> {
  const serialNeedle = filter.serial?.toLowerCase();
  // A serial search finds events through any of their items; only the items that match are lines.
  const keeps = (serial: string) => !serialNeedle || serial.toLowerCase().includes(serialNeedle);
  const localTime = isoWithOffsetByHour();
  async function* lines(): AsyncGenerator<string> {
    let header = csvLine(custodyCsvHeader);
    const names = await userNames(db);
    const recordedBy = (userId: string) => names.get(userId) ?? userId;
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const events = await pageEvents(db, filter, after, pageSize);
      const items = await itemsOf(db, events.filter((row) => row.recorded_by_user_id !== null).map((row) => row.id));
      let chunk = '';
      for (const row of events) {
        if (row.recorded_by_user_id === null) {
          for (const line of cellsFromJson(row, recordedBy, localTime)) if (keeps(String(line[8]))) chunk += csvLine(line);
          continue;
        }
        // The event's own cells are the same on each of its items' lines: encoded once.
        const head = csvCells([row.id, row.at, row.kind, row.job_id, row.account_ref, row.client_name, row.customer ?? '']);
        const tail = csvCells([
          row.from_role, row.from_name, row.to_role, row.to_name, row.lat, row.lon, row.seal_number, row.photo_hashes, row.signature_hashes,
          row.corrects_event_id, row.note, row.device_id, recordedBy(row.recorded_by_user_id), row.hash, localTime(row.at, row.time_zone),
        ]);
        for (const item of items.get(row.id) ?? []) {
          if (keeps(item.serial)) chunk += `${head},${csvCells([item.item_id, item.serial, item.previous_event_hash])},${tail}\r\n`;
        }
      }
      if (chunk || header) yield header + chunk;
      header = '';
      const last = events.at(-1);
      if (!last || events.length < pageSize) return;
      after = { at: last.at, id: last.id };
    }
  }
  return startedStream(lines());
}
