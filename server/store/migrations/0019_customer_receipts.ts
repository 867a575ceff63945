import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../dialect';

/**
 * The receipts agents leave at the door (validated JSON like the other door records; the PDF is
 * a blob named by `sha256`), and each client's contact line printed on them.
 *
 * A receipt names its PDF, so an insert trigger adds the (hash, job) pair to blob_references the
 * way 0013 does for photos: the office and the job's agent may then read the PDF, and no other
 * agent may. PostgreSQL reuses 0013's trigger function, which reads `sha256` from any record.
 */
export function customerReceiptsSchema(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('customer_receipts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
        .addColumn('data_json', 'text', (c) => c.notNull())
        .addColumn('hlc', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('customer_receipts_job').on('customer_receipts').column('job_id').execute();
      if (kind === 'postgres') {
        await sql.raw('create trigger customer_receipts_blob_references after insert on customer_receipts for each row execute function blob_references_of_record()').execute(db);
      } else {
        await sql
          .raw(
            `create trigger customer_receipts_blob_references after insert on customer_receipts
             when json_type(new.data_json, '$.sha256') = 'text'
             begin insert or ignore into blob_references (hash, job_id) values (json_extract(new.data_json, '$.sha256'), new.job_id); end`,
          )
          .execute(db);
      }

      await db.schema
        .createTable('client_contacts')
        .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id'))
        .addColumn('contact_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by_user_id', 'text', (c) => c.notNull().references('users.id'))
        .execute();
    },
  };
}
