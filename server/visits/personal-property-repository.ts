import type { Kysely } from 'kysely';
import { PersonalPropertyEntry, PersonalPropertyEvent } from '../../shared/domain/personal-property';
import type { Database } from '../store/schema';

/**
 * Personal property entries and their events: inserted once, never updated. Reads validate the
 * stored JSON again so a hand-edited database cannot send garbage to laptops.
 */
export function personalPropertyRepository(db: Kysely<Database>) {
  const entry = (json: string) => PersonalPropertyEntry.parse(JSON.parse(json));
  const event = (json: string) => PersonalPropertyEvent.parse(JSON.parse(json));
  return {
    async entryExists(id: string): Promise<boolean> {
      return (await db.selectFrom('personal_property').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    async eventExists(id: string): Promise<boolean> {
      return (await db.selectFrom('personal_property_events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },
    async insertEntry(record: PersonalPropertyEntry, hlc: string): Promise<void> {
      await db.insertInto('personal_property').values({ id: record.id, job_id: record.jobId, data_json: JSON.stringify(record), hlc }).execute();
    },
    async insertEvent(record: PersonalPropertyEvent, hlc: string): Promise<void> {
      await db
        .insertInto('personal_property_events')
        .values({ id: record.id, job_id: record.jobId, property_id: record.propertyId, data_json: JSON.stringify(record), hlc })
        .execute();
    },
    async findEntry(id: string): Promise<PersonalPropertyEntry | null> {
      const row = await db.selectFrom('personal_property').select('data_json').where('id', '=', id).executeTakeFirst();
      return row ? entry(row.data_json) : null;
    },
    async eventsOf(propertyId: string): Promise<PersonalPropertyEvent[]> {
      const rows = await db.selectFrom('personal_property_events').select('data_json').where('property_id', '=', propertyId).orderBy('hlc').orderBy('id').execute();
      return rows.map((row) => event(row.data_json));
    },
    async entriesByIds(ids: readonly string[]): Promise<Map<string, PersonalPropertyEntry>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('personal_property').select(['id', 'data_json']).where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, entry(row.data_json)]));
    },
    async eventsByIds(ids: readonly string[]): Promise<Map<string, PersonalPropertyEvent>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('personal_property_events').select(['id', 'data_json']).where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, event(row.data_json)]));
    },
    async entriesOfJob(jobId: string): Promise<PersonalPropertyEntry[]> {
      const rows = await db.selectFrom('personal_property').select('data_json').where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map((row) => entry(row.data_json));
    },
    async eventsOfJob(jobId: string): Promise<PersonalPropertyEvent[]> {
      const rows = await db.selectFrom('personal_property_events').select('data_json').where('job_id', '=', jobId).orderBy('hlc').orderBy('id').execute();
      return rows.map((row) => event(row.data_json));
    },
  };
}
