import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { CustomerReceipt } from '../../shared/domain/customer-receipt';
import { ItemReconciliation, Photo, Signature } from '../../shared/domain/evidence';
import { Visit, VisitDeparture } from '../../shared/domain/visit';
import type { Database } from '../store/schema';

export type DoorTable = 'visits' | 'item_reconciliations' | 'photos' | 'signatures' | 'visit_departures' | 'customer_receipts';

type JobRecordSchema = z.ZodType<{ id: string; jobId: string }>;

/**
 * Append-only door records of one kind. A record is inserted once and never updated; reads
 * validate the stored JSON again so a hand-edited database cannot send garbage to laptops.
 */
function doorRecords<S extends JobRecordSchema>(db: Kysely<Database>, table: DoorTable, schema: S) {
  // The door tables have one shape; Kysely cannot type a query over a union of table names.
  const name = table as 'visits';
  const parse = (json: string): z.output<S> => schema.parse(JSON.parse(json));
  return {
    async exists(id: string): Promise<boolean> {
      return (await db.selectFrom(name).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    async insert(record: z.output<S>, hlc: string): Promise<void> {
      await db.insertInto(name).values({ id: record.id, job_id: record.jobId, data_json: JSON.stringify(record), hlc }).execute();
    },
    async find(id: string): Promise<z.output<S> | null> {
      const row = await db.selectFrom(name).select('data_json').where('id', '=', id).executeTakeFirst();
      return row ? parse(row.data_json) : null;
    },
    async byIds(ids: readonly string[]): Promise<Map<string, z.output<S>>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom(name).select(['id', 'data_json']).where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, parse(row.data_json)]));
    },
    async ofJob(jobId: string): Promise<z.output<S>[]> {
      const rows = await db.selectFrom(name).select('data_json').where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map((row) => parse(row.data_json));
    },
  };
}

export function doorRecordsRepository(db: Kysely<Database>) {
  return {
    visits: doorRecords(db, 'visits', Visit),
    reconciliations: doorRecords(db, 'item_reconciliations', ItemReconciliation),
    photos: doorRecords(db, 'photos', Photo),
    signatures: doorRecords(db, 'signatures', Signature),
    departures: doorRecords(db, 'visit_departures', VisitDeparture),
    receipts: doorRecords(db, 'customer_receipts', CustomerReceipt),
    /** Visits as laptops see them: with the departure folded in when one was recorded. */
    async visitsWithDepartures(ids: readonly string[]) {
      const visits = await doorRecords(db, 'visits', Visit).byIds(ids);
      if (visits.size === 0) return visits;
      const jobIds = [...new Set([...visits.values()].map((visit) => visit.jobId))];
      const rows = await db.selectFrom('visit_departures').select('data_json').where('job_id', 'in', jobIds).orderBy('hlc').execute();
      for (const row of rows) {
        const departure = VisitDeparture.parse(JSON.parse(row.data_json));
        const visit = visits.get(departure.visitId);
        // The first departure recorded stands; a visit is left once.
        if (visit && visit.departedAt === null) visits.set(visit.id, { ...visit, departedAt: departure.departedAt });
      }
      return visits;
    },
  };
}
