import { sql, type Expression, type Kysely } from 'kysely';
import type { ClientSummary, JobCounts, JobCountsQuery, JobFilter, JobListQuery, JobSortKey } from '../../shared/api/job-query';
import { openJobStatuses } from '../../shared/api/job-query';
import type { Job } from '../../shared/domain/job';
import { JobStatus, jobStatuses } from '../../shared/domain/job-status';
import { storeKindOf } from './dialect';
import { jobFilterCondition } from './job-query';
import { jobsRepository } from './jobs-repository';
import type { Database } from './schema';

type Direction = 'asc' | 'desc';

/**
 * The sort keys of each column, most significant first. Each list is the leading columns of an
 * index (migration 0016); the job id breaks ties so a page boundary never repeats or skips a job.
 */
const orderings: Record<Exclude<JobSortKey, 'client' | 'agent'>, readonly string[]> = {
  due: ['jobs.sort_due'],
  customer: ['jobs.sort_customer'],
  account: ['jobs.account_ref'],
  status: ['jobs.status_rank', 'jobs.sort_due'],
  priority: ['jobs.priority_rank', 'jobs.sort_due'],
  updated: ['jobs.updated_at'],
};

function zeroByStatus(): Record<JobStatus, number> {
  return Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>;
}

/** What the office screens ask of the jobs table: a page, exact counts, the clients to filter by. */
export function officeJobsRepository(db: Kysely<Database>) {
  const kind = storeKindOf(db);

  /** One page of job ids in the asked order; a join only when the order needs another table's name. */
  async function pageIds(query: JobListQuery): Promise<string[]> {
    const dir: Direction = query.dir;
    const base = db.selectFrom('jobs').where(jobFilterCondition(query, kind)).select('jobs.id');
    let keys: Expression<unknown>[];
    let page;
    if (query.sort === 'client') {
      page = base.innerJoin('clients', 'clients.id', 'jobs.client_id');
      keys = [sql.ref('clients.name'), sql.ref('jobs.client_id'), sql.ref('jobs.sort_due')];
    } else if (query.sort === 'agent') {
      page = base.leftJoin('users', 'users.id', 'jobs.assigned_agent_id');
      // Jobs nobody holds sort after every agent's, ascending.
      keys = [sql`case when users.display_name is null then 1 else 0 end`, sql.ref('users.display_name'), sql.ref('jobs.assigned_agent_id'), sql.ref('jobs.sort_due')];
    } else {
      page = base;
      keys = orderings[query.sort].map((key) => sql.ref(key));
    }
    for (const key of [...keys, sql.ref('jobs.id')]) page = page.orderBy(key, dir);
    const rows = await page.limit(query.limit).offset(query.offset).execute();
    return rows.map((row) => row.id);
  }

  async function count(filter: JobFilter): Promise<number> {
    const row = await db
      .selectFrom('jobs')
      .where(jobFilterCondition(filter, kind))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return {
    async list(query: JobListQuery): Promise<{ jobs: Job[]; total: number }> {
      const [ids, total] = await Promise.all([pageIds(query), count(query)]);
      const byId = await jobsRepository(db).findMany(ids);
      return { jobs: ids.flatMap((id) => byId.get(id) ?? []), total };
    },

    /** Status totals, overdue and flagged counts, straight from the database and exact. */
    async counts(query: JobCountsQuery): Promise<JobCounts> {
      const today = query.today ?? null;
      const rows = await db
        .selectFrom('jobs')
        .where(jobFilterCondition(query, kind, { ignoreStatus: true }))
        .select((eb) => [
          'jobs.status',
          eb.fn.countAll<number>().as('n'),
          (today === null
            ? sql<number>`0`
            : sql<number>`sum(case when jobs.due_date < ${today} and jobs.status in (${sql.join(openJobStatuses)}) then 1 else 0 end)`
          ).as('overdue'),
          sql<number>`sum(case when jobs.review_reason is not null then 1 else 0 end)`.as('flagged'),
        ])
        .groupBy('jobs.status')
        .execute();
      const byStatus = zeroByStatus();
      const overdueByStatus = zeroByStatus();
      const wanted = new Set(query.status ?? jobStatuses);
      let total = 0;
      let flagged = 0;
      for (const row of rows) {
        const status = JobStatus.parse(row.status);
        byStatus[status] = Number(row.n);
        overdueByStatus[status] = Number(row.overdue);
        if (!wanted.has(status)) continue;
        total += Number(row.n);
        flagged += Number(row.flagged);
      }
      return { total, byStatus, overdueByStatus, flagged };
    },

    /** Every client with how many jobs it has: the office table's client filter. */
    async clients(): Promise<ClientSummary[]> {
      const rows = await db
        .selectFrom('clients')
        .select((eb) => [
          'clients.id',
          'clients.name',
          eb.selectFrom('jobs').whereRef('jobs.client_id', '=', 'clients.id').select((inner) => inner.fn.countAll<number>().as('n')).as('jobs'),
        ])
        .orderBy('clients.name')
        .orderBy('clients.id')
        .execute();
      return rows.map((row) => ({ id: row.id, name: row.name, jobs: Number(row.jobs ?? 0) }));
    },
  };
}
