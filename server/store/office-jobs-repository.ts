import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { ClientSummary, JobCounts, JobCountsQuery, JobCursorKey, JobFilter, JobListQuery, JobSortKey, SortDirection } from '../../shared/api/job-query';
import { encodeJobCursor, JobCursorPayload, openJobStatuses } from '../../shared/api/job-query';
import type { JobList } from '../../shared/api/jobs';
import { JobStatus, jobStatuses } from '../../shared/domain/job-status';
import { storeKindOf } from './dialect';
import { jobFilterCondition } from './job-query';
import { jobsRepository } from './jobs-repository';
import type { Database } from './schema';

type FilterCondition = (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>;
type PlainSort = Exclude<JobSortKey, 'client' | 'agent'>;

/**
 * The sort keys of each column, most significant first. Each list is the leading columns of an
 * index (migration 0016); the job id breaks ties so a page boundary never repeats or skips a job.
 */
const orderings: Record<PlainSort, readonly string[]> = {
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

const flip = (dir: SortDirection): SortDirection => (dir === 'asc' ? 'desc' : 'asc');

/** A row of a page with the sort key values its cursor carries. */
interface PageRow {
  readonly id: string;
  readonly keys: readonly JobCursorKey[];
}

/** Where a walk starts: after this row's keys and id, in the walk's direction. */
interface Seek {
  readonly keys: readonly JobCursorKey[];
  readonly id: string;
}

/** An agent's or a client's jobs, with the name they sort by; key null is nobody's jobs. */
interface Group {
  readonly key: string | null;
  readonly name: string | null;
}

/** Groups in name order, then id; nobody's jobs after every agent's. */
function compareGroups(a: Group, b: Group): number {
  if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
  const x = [a.name ?? '', a.key];
  const y = [b.name ?? '', b.key];
  for (let i = 0; i < 2; i += 1) {
    if ((x[i] ?? '') < (y[i] ?? '')) return -1;
    if ((x[i] ?? '') > (y[i] ?? '')) return 1;
  }
  return 0;
}

/** What the page query reads: a walk over the sorted jobs from a place, in one direction. */
interface Walk {
  readonly dir: SortDirection;
  readonly seek: Seek | null;
  readonly offset: number;
  /** Rows wanted, one more than the page, to tell whether another page follows. */
  readonly limit: number;
}

/** What the office screens ask of the jobs table: a page, exact counts, the clients to filter by. */
export function officeJobsRepository(db: Kysely<Database>) {
  const kind = storeKindOf(db);

  /**
   * Rows ordered by an indexed column list, then id. A seek is a row-value comparison on the
   * same columns as the index, so a page a thousand pages deep is one index descent.
   */
  async function orderedRows(filter: JobFilter, keys: readonly string[], extra: FilterCondition | null, walk: Walk): Promise<PageRow[]> {
    const columns = [...keys, 'jobs.id'];
    let page = db
      .selectFrom('jobs')
      .where(jobFilterCondition(filter, kind))
      .select(['jobs.id', sql<JobCursorKey>`${sql.ref(keys[0] ?? 'jobs.id')}`.as('k0'), sql<JobCursorKey>`${sql.ref(keys[1] ?? 'jobs.id')}`.as('k1')]);
    if (extra) page = page.where(extra);
    const seek = walk.seek;
    if (seek) {
      const comparison = sql.raw(walk.dir === 'asc' ? '>' : '<');
      page = page.where(sql<SqlBool>`(${sql.join(columns.map((column) => sql.ref(column)))}) ${comparison} (${sql.join([...seek.keys, seek.id])})`);
    }
    for (const column of columns) page = page.orderBy(sql.ref(column), walk.dir);
    const rows = await page.limit(walk.limit).offset(walk.offset).execute();
    return rows.map((row) => ({ id: row.id, keys: keys.length > 1 ? [row.k0, row.k1] : [row.k0] }));
  }

  /** Every agent (or client) that may hold jobs, in name order; for agents, nobody last. */
  async function groupsOf(column: 'jobs.assigned_agent_id' | 'jobs.client_id'): Promise<Group[]> {
    const rows =
      column === 'jobs.client_id'
        ? await db.selectFrom('clients').select(['id', 'name']).execute()
        : await db.selectFrom('users').select(['id', 'display_name as name']).execute();
    const groups: Group[] = rows.map((row) => ({ key: row.id, name: row.name }));
    if (column === 'jobs.assigned_agent_id') groups.push({ key: null, name: null });
    return groups.sort(compareGroups);
  }

  /** How many matching jobs each group holds: only a page-number jump (an offset) needs them. */
  async function groupSizes(filter: JobFilter, column: 'jobs.assigned_agent_id' | 'jobs.client_id'): Promise<Map<string | null, number>> {
    const rows = await db
      .selectFrom('jobs')
      .where(jobFilterCondition(filter, kind))
      .select([sql<string | null>`${sql.ref(column)}`.as('key'), (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(column)
      .execute();
    return new Map(rows.map((row) => [row.key, Number(row.n)]));
  }

  /**
   * Sorting by agent or client is sorting by a name in another table. A join would sort every
   * matching job; instead the page is read group by group (agents or clients in name order), each
   * group's jobs in due order from its own index (migration 0017). A cursor names its group, so
   * the next page starts inside that group and goes on to the following ones; an offset skips
   * whole groups by their counts.
   */
  async function groupedRows(filter: JobFilter, column: 'jobs.assigned_agent_id' | 'jobs.client_id', walk: Walk): Promise<PageRow[]> {
    const groups = await groupsOf(column);
    if (walk.dir === 'desc') groups.reverse();
    const sizes = walk.offset > 0 ? await groupSizes(filter, column) : null;
    const seekGroup: Group | null = walk.seek ? { name: (walk.seek.keys[0] as string | null) ?? null, key: (walk.seek.keys[1] as string | null) ?? null } : null;
    const rows: PageRow[] = [];
    let skip = walk.offset;
    for (const group of groups) {
      if (rows.length >= walk.limit) break;
      let inner: Seek | null = null;
      if (seekGroup && walk.seek) {
        const order = compareGroups(group, seekGroup) * (walk.dir === 'asc' ? 1 : -1);
        if (order < 0) continue;
        if (order === 0) inner = { keys: [walk.seek.keys[2] ?? null], id: walk.seek.id };
      }
      if (sizes) {
        const size = sizes.get(group.key) ?? 0;
        if (skip >= size) {
          skip -= size;
          continue;
        }
      }
      const key = group.key;
      const inGroup: FilterCondition = (eb) => (key === null ? eb(column, 'is', null) : eb(column, '=', key));
      const found = await orderedRows(filter, ['jobs.sort_due'], inGroup, { dir: walk.dir, seek: inner, offset: skip, limit: walk.limit - rows.length });
      rows.push(...found.map((row) => ({ id: row.id, keys: [group.name, group.key, row.keys[0] ?? null] })));
      skip = 0;
    }
    return rows;
  }

  function rowsOf(query: JobListQuery, walk: Walk): Promise<PageRow[]> {
    if (query.sort === 'client') return groupedRows(query, 'jobs.client_id', walk);
    if (query.sort === 'agent') return groupedRows(query, 'jobs.assigned_agent_id', walk);
    return orderedRows(query, orderings[query.sort], null, walk);
  }

  function cursorOf(query: JobListQuery, row: PageRow | undefined): string | null {
    if (!row) return null;
    return encodeJobCursor(JobCursorPayload.parse({ sort: query.sort, dir: query.dir, keys: row.keys, id: row.id }));
  }

  /**
   * One page and the cursors either side of it. A page after a cursor walks forward from it; a
   * page before one walks backward and is turned round; "end" walks back from the last job. One
   * row beyond the page says whether another page lies that way.
   */
  async function page(query: JobListQuery): Promise<{ ids: string[]; nextCursor: string | null; previousCursor: string | null }> {
    const before = query.before;
    if (before !== undefined) {
      const seek = before === 'end' ? null : { keys: before.keys, id: before.id };
      const rows = await rowsOf(query, { dir: flip(query.dir), seek, offset: 0, limit: query.limit + 1 });
      const more = rows.length > query.limit;
      const shown = rows.slice(0, query.limit).reverse();
      return { ids: shown.map((row) => row.id), previousCursor: more ? cursorOf(query, shown[0]) : null, nextCursor: before === 'end' ? null : cursorOf(query, shown.at(-1)) };
    }
    const seek = query.after ? { keys: query.after.keys, id: query.after.id } : null;
    const rows = await rowsOf(query, { dir: query.dir, seek, offset: query.offset, limit: query.limit + 1 });
    const more = rows.length > query.limit;
    const shown = rows.slice(0, query.limit);
    const atStart = seek === null && query.offset === 0;
    return { ids: shown.map((row) => row.id), nextCursor: more ? cursorOf(query, shown.at(-1)) : null, previousCursor: atStart ? null : cursorOf(query, shown[0]) };
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
    async list(query: JobListQuery): Promise<JobList> {
      const [found, total] = await Promise.all([page(query), count(query)]);
      const byId = await jobsRepository(db).findMany(found.ids);
      return { jobs: found.ids.flatMap((id) => byId.get(id) ?? []), total, nextCursor: found.nextCursor, previousCursor: found.previousCursor };
    },

    /** Status totals, overdue and flagged counts, straight from the database and exact. */
    async counts(query: JobCountsQuery): Promise<JobCounts> {
      const today = query.today ?? null;
      // Two questions, each answered from one of migration 0018's indexes without reading a job:
      // a sum over the overdue ones inside the first would read every job's row to test its date.
      const rows = await db
        .selectFrom('jobs')
        .where(jobFilterCondition(query, kind, { ignoreStatus: true }))
        .select(['jobs.status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('jobs.status')
        .execute();
      const overdueRows =
        today === null
          ? []
          : await db
              .selectFrom('jobs')
              .where(jobFilterCondition(query, kind, { ignoreStatus: true }))
              .where('jobs.status', 'in', openJobStatuses)
              .where('jobs.due_date', '<', today)
              .select(['jobs.status', (eb) => eb.fn.countAll<number>().as('n')])
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
        if (wanted.has(status)) total += Number(row.n);
      }
      for (const row of overdueRows) overdueByStatus[JobStatus.parse(row.status)] = Number(row.n);
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
