import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { Address, AppointmentWindow, Customer, ExpectedItem, Priority, type Job, type JobFields } from '../../shared/domain/job';
import { JobStatus } from '../../shared/domain/job-status';
import type { Database, JobsTable } from './schema';

/**
 * What a Job is read from: the stored columns only. The sort keys are left out: SQLite computes
 * them on every read (virtual generated columns), and a job does not carry them.
 */
const jobColumns = [
  'jobs.id',
  'jobs.client_id',
  'jobs.account_ref',
  'jobs.customer_json',
  'jobs.address_json',
  'jobs.time_zone',
  'jobs.due_date',
  'jobs.priority',
  'jobs.appointment_json',
  'jobs.instructions',
  'jobs.items_json',
  'jobs.status',
  'jobs.assigned_agent_id',
  'jobs.review_reason',
  'jobs.created_at',
  'jobs.updated_at',
  'jobs.version',
] as const;

type JobRow = Pick<Selectable<JobsTable>, (typeof jobColumns)[number] extends `jobs.${infer Column}` ? Column : never> & { client_name: string };

const Items = z.array(ExpectedItem);

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    accountRef: row.account_ref,
    customer: Customer.parse(JSON.parse(row.customer_json)),
    address: Address.parse(JSON.parse(row.address_json)),
    timeZone: row.time_zone,
    dueDate: row.due_date,
    priority: Priority.parse(row.priority),
    appointment: row.appointment_json === null ? null : AppointmentWindow.parse(JSON.parse(row.appointment_json)),
    instructions: row.instructions,
    items: Items.parse(JSON.parse(row.items_json)),
    status: JobStatus.parse(row.status),
    assignedAgentId: row.assigned_agent_id,
    reviewReason: row.review_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

/** What the dispatcher's search box matches: customer, address, account and every serial and tag. */
function searchTextOf(job: JobFields): string {
  const parts = [
    job.customer.name,
    job.address.line1,
    job.address.line2 ?? '',
    job.address.city,
    job.address.postalCode,
    job.accountRef,
    ...job.items.flatMap((item) => [item.serial, item.assetTag ?? '']),
  ];
  return parts.join(' ').toLowerCase();
}

function fieldColumns(job: JobFields) {
  return {
    client_id: job.clientId,
    account_ref: job.accountRef,
    customer_json: JSON.stringify(job.customer),
    address_json: JSON.stringify(job.address),
    time_zone: job.timeZone,
    due_date: job.dueDate,
    priority: job.priority,
    appointment_json: job.appointment === null ? null : JSON.stringify(job.appointment),
    instructions: job.instructions,
    items_json: JSON.stringify(job.items),
    search_text: searchTextOf(job),
  };
}

/** A job as its table row; bulk seeding (benchmarks) writes many of these in one statement. */
export function jobRow(job: Job) {
  return {
    id: job.id,
    ...fieldColumns(job),
    status: job.status,
    assigned_agent_id: job.assignedAgentId,
    review_reason: job.reviewReason,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    version: job.version,
  };
}

export function jobsRepository(db: Kysely<Database>) {
  const selectJobs = () =>
    db.selectFrom('jobs').innerJoin('clients', 'clients.id', 'jobs.client_id').select(jobColumns).select('clients.name as client_name');

  return {
    async find(id: string): Promise<Job | undefined> {
      const row = await selectJobs().where('jobs.id', '=', id).executeTakeFirst();
      return row ? toJob(row) : undefined;
    },

    /** Whose each job is (null: nobody's), for the jobs that exist: a check that needs no whole job. */
    async assigneesOf(ids: readonly string[]): Promise<Map<string, string | null>> {
      if (ids.length === 0) return new Map();
      const rows = await db.selectFrom('jobs').select(['id', 'assigned_agent_id']).where('id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, row.assigned_agent_id]));
    },

    async findMany(ids: readonly string[]): Promise<Map<string, Job>> {
      if (ids.length === 0) return new Map();
      const rows = await selectJobs().where('jobs.id', 'in', [...ids]).execute();
      return new Map(rows.map((row) => [row.id, toJob(row)]));
    },

    async ensureClient(client: { id: string; name: string }): Promise<void> {
      await db.insertInto('clients').values(client).onConflict((oc) => oc.column('id').doNothing()).execute();
    },

    async clientExists(id: string): Promise<boolean> {
      return (await db.selectFrom('clients').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
    },

    async insert(job: Job): Promise<void> {
      await db.insertInto('jobs').values(jobRow(job)).execute();
    },

    /** Writes the whole job row; the caller has already bumped version and updatedAt. */
    async save(job: Job): Promise<void> {
      await db
        .updateTable('jobs')
        .set({
          ...fieldColumns(job),
          status: job.status,
          assigned_agent_id: job.assignedAgentId,
          review_reason: job.reviewReason,
          updated_at: job.updatedAt,
          version: job.version,
        })
        .where('id', '=', job.id)
        .execute();
    },
  };
}
