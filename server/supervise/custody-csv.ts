import { sql, type Kysely } from 'kysely';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import type { Readable } from 'node:stream';
import { spreadsheetSafeCell } from '../../shared/export/spreadsheet-safe';
import type { CustodyCsvQuery } from '../../shared/supervise/supervise-api';
import { startedStream } from '../http/streamed-export';
import type { Database } from '../store/schema';
import { matchingEvents, userNames } from './custody-search';
import { isoWithOffset } from '../../shared/domain/time-zone';

const PAGE = 2000;

export const custodyCsvHeader = [
  'event_id', 'at', 'kind', 'job_id', 'account_ref', 'client', 'customer', 'item_id', 'serial', 'previous_event_hash',
  'from_role', 'from_name', 'to_role', 'to_name', 'lat', 'lon', 'seal_number', 'photo_hashes', 'signature_hashes',
  'corrects_event_id', 'note', 'device_id', 'recorded_by', 'hash',
  // The same instant as `at` (UTC, as signed), read in the job's zone with its offset: what people compare with the customer's clock.
  'local_time',
] as const;

/** RFC 4180 quoting after neutralising formulas: the file is meant for spreadsheets. */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells
    .map((cell) => {
      const text = spreadsheetSafeCell(cell === null ? '' : String(cell));
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/**
 * Custody events (one row per event and item) as CSV, streamed page by page with a keyset over
 * (at, id) so a year of events never sits in memory; row-value comparison works on both stores.
 * Events were validated when they entered the store, so pages are parsed without re-validation.
 * The header travels with the first page, and that page is read before the answer starts; each
 * further page is read only when the one before has gone out (see startedStream).
 */
export async function custodyCsv(db: Kysely<Database>, filter: CustodyCsvQuery, pageSize = PAGE): Promise<Readable> {
  const serialNeedle = filter.serial?.toLowerCase();
  // Events of one job share its customer: parse each job's JSON once, not once per event.
  const customers = new Map<string, string>();
  const customerOf = (jobId: string, json: string) => {
    let name = customers.get(jobId);
    if (name === undefined) {
      if (customers.size >= 10_000) customers.clear();
      name = (JSON.parse(json) as { name?: string }).name ?? '';
      customers.set(jobId, name);
    }
    return name;
  };
  async function* lines(): AsyncGenerator<string> {
    let header = csvLine(custodyCsvHeader);
    const names = await userNames(db);
    let after: { at: string; id: string } | null = null;
    for (;;) {
      let query = matchingEvents(db, filter).select(['ce.at', 'ce.id', 'ce.data_json', 'j.account_ref', 'c.name as client_name', 'j.customer_json', 'j.time_zone']);
      if (after) query = query.where(sql<boolean>`(ce.at, ce.id) > (${after.at}, ${after.id})`);
      const rows = await query.orderBy('ce.at').orderBy('ce.id').limit(pageSize).execute();
      let chunk = '';
      for (const row of rows) {
        const event = JSON.parse(row.data_json) as CustodyEvent;
        const customer = customerOf(event.jobId, row.customer_json);
        const recordedBy = names.get(event.recordedByUserId) ?? event.recordedByUserId;
        for (const item of event.items) {
          if (serialNeedle && !item.serial.toLowerCase().includes(serialNeedle)) continue;
          chunk += csvLine([
            event.id, event.at, event.kind, event.jobId, row.account_ref, row.client_name, customer, item.itemId, item.serial, item.previousEventHash,
            event.from.role, event.from.name, event.to.role, event.to.name, event.place?.lat ?? null, event.place?.lon ?? null, event.sealNumber,
            event.photoHashes.join(' '), event.signatureHashes.join(' '), event.correctsEventId, event.note, event.deviceId, recordedBy, event.hash,
            isoWithOffset(event.at, row.time_zone),
          ]);
        }
      }
      if (chunk || header) yield header + chunk;
      header = '';
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = { at: last.at, id: last.id };
    }
  }
  return startedStream(lines());
}
