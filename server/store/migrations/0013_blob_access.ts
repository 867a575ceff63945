import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../dialect';

/**
 * Blob access: who uploaded each blob, and which jobs' records name it. A photo is personal
 * data, and its hash is no secret (it travels in custody records and bundles), so reading it
 * needs a reason beyond knowing the name.
 *
 * The references are kept by triggers on the record tables rather than by each writer: records
 * reach these tables from sync pushes, office dispositions and the demo seed, and a reference a
 * writer forgot would hide evidence from the people who need it. Every record table is append-only
 * (inserted once, never updated), so an insert trigger is the whole story. Rejected custody
 * events (custody_rejections) name nothing: they are not evidence the server vouches for.
 */
export const blobNamingTables = ['photos', 'signatures', 'custody_events', 'personal_property', 'personal_property_events'] as const;

/**
 * (hash, job_id) for every blob the rows of `source` name, whatever their table: `sha256`
 * (photos, signatures), `signatureHash` (a return of personal property), `photoHashes` and
 * `signatureHashes` (custody events, personal property). `source` is a table, or the new row in
 * a trigger; its rows were validated before they were written.
 */
function namedHashes(kind: StoreKind, source: string): string {
  if (kind === 'postgres') {
    const json = 'record.data_json::jsonb';
    const text = (field: string) => `select ${json} ->> '${field}' as hash, record.job_id as job_id from ${source} as record where jsonb_typeof(${json} -> '${field}') = 'string'`;
    const array = (field: string) =>
      `select element as hash, record.job_id as job_id from ${source} as record
         cross join lateral jsonb_array_elements_text(case when jsonb_typeof(${json} -> '${field}') = 'array' then ${json} -> '${field}' else '[]'::jsonb end) as element`;
    return [text('sha256'), text('signatureHash'), array('photoHashes'), array('signatureHashes')].join(' union ');
  }
  const text = (field: string) =>
    `select json_extract(record.data_json, '$.${field}') as hash, record.job_id as job_id from ${source} as record where json_type(record.data_json, '$.${field}') = 'text'`;
  const array = (field: string) =>
    `select element.value as hash, record.job_id as job_id from ${source} as record, json_each(record.data_json, '$.${field}') as element where element.type = 'text'`;
  return [text('sha256'), text('signatureHash'), array('photoHashes'), array('signatureHashes')].join(' union ');
}

/** The row a trigger fires for, as a one-row table. */
const newRow = '(select new.data_json as data_json, new.job_id as job_id)';

export function blobAccessSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('blob_uploads')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_uploads_pk', ['hash', 'user_id'])
        .execute();

      await db.schema
        .createTable('blob_references')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addPrimaryKeyConstraint('blob_references_pk', ['hash', 'job_id'])
        .execute();

      if (kind === 'postgres') {
        await sql
          .raw(
            `create function blob_references_of_record() returns trigger language plpgsql as $$
             begin
               insert into blob_references (hash, job_id) ${namedHashes(kind, newRow)} on conflict do nothing;
               return new;
             end $$`,
          )
          .execute(db);
      }
      for (const table of blobNamingTables) {
        if (kind === 'postgres') {
          await sql.raw(`create trigger ${table}_blob_references after insert on ${table} for each row execute function blob_references_of_record()`).execute(db);
          await sql.raw(`insert into blob_references (hash, job_id) ${namedHashes(kind, table)} on conflict do nothing`).execute(db);
        } else {
          await sql
            .raw(`create trigger ${table}_blob_references after insert on ${table} begin insert or ignore into blob_references (hash, job_id) ${namedHashes(kind, newRow)}; end`)
            .execute(db);
          await sql.raw(`insert or ignore into blob_references (hash, job_id) ${namedHashes(kind, table)}`).execute(db);
        }
      }
    },
  };
}
