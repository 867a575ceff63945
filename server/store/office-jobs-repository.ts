import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { ClientSummary, JobCounts, JobCountsQuery, JobFilter, JobListQuery, JobSortKey } from '../../shared/api/job-query';
import { openJobStatuses } from '../../shared/api/job-query';
import type { Job } from '../../shared/domain/job';
import { JobStatus, jobStatuses } from '../../shared/domain/job-status';
import { storeKindOf } from './dialect';
import { jobFilterCondition } from './job-query';
import { jobsRepository } from './jobs-repository';
import type { Database } from './schema';

type FilterCondition = (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>;

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

  /** One page of job ids ordered by an indexed column list, then id. */
  async function orderedIds(query: JobListQuery, keys: readonly string[], extra: FilterCondition | null, limit: number, offset: number): Promise<string[]> {
    let page = db.selectFrom('jobs').where(jobFilterCondition(query, kind)).select('jobs.id');
    if (extra) page = page.where(extra);
    for (const key of [...keys, 'jobs.id']) page = page.orderBy(sql.ref(key), query.dir);
    const rows = await page.limit(limit).offset(offset).execute();
    return rows.map((row) => row.id);
  }

  /**
   * Sorting by agent or client is sorting by a name in another table. A join would sort every
   * matching job; instead the groups (a handful of agents or clients) are counted with an index,
   * put in name order, and the page is read group by group in due order, skipping whole groups
   * before the offset. Nobody's jobs come after every agent's, ascending.
   */
  async function groupedIds(query: JobListQuery, column: 'jobs.assigned_agent_id' | 'jobs.client_id'): Promise<string[]> {
    const groups = await db
      .selectFrom('jobs')
      .where(jobFilterCondition(query, kind))
      .select([sql<string | null>`${sql.ref(column)}`.as('key'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(column)
      .execute();
    const keys = groups.flatMap((group) => (group.key === null ? [] : [group.key]));
    const names = new Map<string, string>();
    if (keys.length > 0) {
      const rows =
        column === 'jobs.client_id'
          ? await db.selectFrom('clients').select(['id', 'name']).where('id', 'in', keys).execute()
          : await db.selectFrom('users').select(['id', 'display_name as name']).where('id', 'in', keys).execute();
      for (const row of rows) names.set(row.id, row.name);
    }
    const byName = (a: { key: string | null }, b: { key: string | null }) => {
      if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
      const x = [names.get(a.key) ?? '', a.key];
      const y = [names.get(b.key) ?? '', b.key];
      return x[0] !== y[0] ? ((x[0] ?? '') < (y[0] ?? '') ? -1 : 1) : (x[1] ?? '') < (y[1] ?? '') ? -1 : (x[1] ?? '') > (y[1] ?? '') ? 1 : 0;
    };
    const ordered = [...groups].sort(byName);
    if (query.dir === 'desc') ordered.reverse();

    const ids: string[] = [];
    let skip = query.offset;
    for (const group of ordered) {
      if (ids.length >= query.limit) break;
      const size = Number(group.n);
      if (skip >= size) {
        skip -= size;
        continue;
      }
      const key = group.key;
      const inGroup: FilterCondition = (eb) => (key === null ? eb(column, 'is', null) : eb(column, '=', key));
      ids.push(...(await orderedIds(query, ['jobs.sort_due'], inGroup, query.limit - ids.length, skip)));
      skip = 0;
    }
    return ids;
  }

  async function pageIds(query: JobListQuery): Promise<string[]> {
    if (query.sort === 'client') return groupedIds(query, 'jobs.client_id');
    if (query.sort === 'agent') return groupedIds(query, 'jobs.assigned_agent_id');
    return orderedIds(query, orderings[query.sort], null, query.limit, query.offset);
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
            : // sort_due, not due_date: the (status, sort_due) index then answers without reading a row; undated jobs hold 9999-12-31.
              sql<number>`sum(case when jobs.sort_due < ${today} and jobs.status in (${sql.join(openJobStatuses)}) then 1 else 0 end)`
          ).as('overdue'),
        ])
        .groupBy('jobs.status')
        .execute();
      // Flagged jobs are few; their own query reads only them (the partial index of migration 0016).
      const flaggedRows = query.flagged === false ? [] : await db
        .selectFrom('jobs')
        .where(jobFilterCondition({ ...query, flagged: true }, kind, { ignoreStatus: true }))
        .select(['jobs.status', (eb) => eb.fn.countAll<number>().as('n')])
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
        if (wanted.has(status)) total += Number(row.n);
      }
      for (const row of flaggedRows) if (wanted.has(JobStatus.parse(row.status))) flagged += Number(row.n);
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
