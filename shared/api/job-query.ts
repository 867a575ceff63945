import { z } from 'zod';
import { IsoDate, Priority } from '../domain/job';
import { jobStatuses, JobStatus } from '../domain/job-status';

/**
 * How the office asks the server for jobs: the same filter drives the list, the board's counts
 * and the map, so what a dispatcher filters is what every view counts. The server pages, sorts
 * and counts in the database; a browser never holds an organisation's jobs.
 */

/** The columns the office table sorts by; each has an index on both stores (migration 0016). */
export const jobSortKeys = ['due', 'customer', 'client', 'account', 'status', 'agent', 'priority', 'updated'] as const;
export const JobSortKey = z.enum(jobSortKeys);
export type JobSortKey = z.infer<typeof JobSortKey>;

export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;

const statusList = new RegExp(`^(${jobStatuses.join('|')})(,(${jobStatuses.join('|')}))*$`);

/** Query strings carry booleans as words; anything but "true" or "false" is a mistake to report. */
const QueryFlag = z.enum(['true', 'false']).transform((flag) => flag === 'true');

export const JobFilter = z.object({
  /** One status, or several separated by commas (e.g. the open ones, for "overdue"). */
  status: z
    .string()
    .regex(statusList, `expected one or more of ${jobStatuses.join(', ')}, separated by commas`)
    .transform((text) => [...new Set(text.split(','))] as JobStatus[])
    .optional(),
  /** An agent's id, or "none" for jobs nobody holds. */
  assignedAgentId: z.union([z.uuid(), z.literal('none')]).optional(),
  clientId: z.uuid().optional(),
  priority: Priority.optional(),
  /** Due on or after this date. */
  dueFrom: IsoDate.optional(),
  /** Due on or before this date. */
  dueTo: IsoDate.optional(),
  /** Only jobs without a due date. */
  dueNone: QueryFlag.optional(),
  /** Only jobs the sync merge rules flagged for review. */
  flagged: QueryFlag.optional(),
  /** Words that must all appear in the customer, address, account, serials or asset tags. */
  q: z.string().max(200).optional(),
});
export type JobFilter = z.output<typeof JobFilter>;

export const JobListQuery = JobFilter.extend({
  sort: JobSortKey.default('due'),
  dir: SortDirection.default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type JobListQuery = z.output<typeof JobListQuery>;

export const JobCountsQuery = JobFilter.extend({
  /** The office's date: jobs due before it and still open count as overdue. */
  today: IsoDate.optional(),
});
export type JobCountsQuery = z.output<typeof JobCountsQuery>;

const Count = z.number().int().nonnegative();
/** A count for every status, each named (an object with fixed keys, so OpenAPI lists them). */
const CountByStatus = z.object(Object.fromEntries(jobStatuses.map((status) => [status, Count])) as Record<JobStatus, typeof Count>);

/** Exact totals from the database for a filter (the status filter applies to `total` only). */
export const JobCounts = z.object({
  /** Jobs matching the whole filter. */
  total: z.number().int().nonnegative(),
  /** Jobs matching every filter but status, by status: the board's columns, the list's chips. */
  byStatus: CountByStatus,
  /** Of those, due before `today` and still open, by status (zero when no `today` was given). */
  overdueByStatus: CountByStatus,
  /** Jobs matching the whole filter that wait in the review inbox. */
  flagged: z.number().int().nonnegative(),
});
export type JobCounts = z.infer<typeof JobCounts>;

export const ClientSummary = z.object({ id: z.uuid(), name: z.string(), jobs: z.number().int().nonnegative() });
export type ClientSummary = z.infer<typeof ClientSummary>;
export const ClientList = z.object({ clients: z.array(ClientSummary) });
export type ClientList = z.infer<typeof ClientList>;

/** The statuses whose jobs are still to be worked: the ones "overdue" applies to. */
export const openJobStatuses: readonly JobStatus[] = jobStatuses.filter((status) => !['recovered', 'closed', 'cancelled'].includes(status));
