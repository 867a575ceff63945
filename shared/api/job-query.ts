import { z } from 'zod';
import { utf8 } from '../custody/canonical-json';
import { fromBase64Url, toBase64Url } from '../custody/crypto-port';
import { strictUtf8 } from '../trust/strict-bytes';
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

/**
 * Where a page starts: the sort key and id of the row next to it, so the next page is an index
 * seek however deep it is, and a job inserted meanwhile never repeats or hides another. Opaque to
 * the caller (base64url of JSON); the server reads it back through this schema, so a cursor that
 * was tampered with, or made for another order, is a 400, never a wrong page.
 */
const Key = z.union([z.string().max(500), z.number().int()]);
const GroupKey = z.tuple([z.string().max(500).nullable(), z.uuid().nullable(), z.string().max(10)]);
export const JobCursorPayload = z.discriminatedUnion('sort', [
  z.object({ sort: z.literal(['due', 'customer', 'account', 'updated']), dir: SortDirection, keys: z.tuple([z.string().max(500)]), id: z.uuid() }),
  z.object({ sort: z.literal(['status', 'priority']), dir: SortDirection, keys: z.tuple([z.number().int(), z.string().max(10)]), id: z.uuid() }),
  /** Agent or client: the group's name and id (null for nobody's jobs), then the due date. */
  z.object({ sort: z.literal(['client', 'agent']), dir: SortDirection, keys: GroupKey, id: z.uuid() }),
]);
export type JobCursorPayload = z.infer<typeof JobCursorPayload>;
export type JobCursorKey = z.infer<typeof Key> | null;

export function encodeJobCursor(payload: JobCursorPayload): string {
  return toBase64Url(utf8(JSON.stringify(payload)));
}

export const JobCursor = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+$/, 'expected a cursor from a previous page')
  .transform((text, ctx) => {
    let decoded: unknown;
    try {
      decoded = JSON.parse(strictUtf8(fromBase64Url(text), 'cursor'));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected a cursor from a previous page' });
      return z.NEVER;
    }
    const payload = JobCursorPayload.safeParse(decoded);
    if (!payload.success) {
      ctx.addIssue({ code: 'custom', message: 'expected a cursor from a previous page' });
      return z.NEVER;
    }
    return payload.data;
  });

export const JobListQuery = JobFilter.extend({
  sort: JobSortKey.default('due'),
  dir: SortDirection.default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** Rows to skip: the page-number way in. A cursor (after/before) is cheaper at any depth. */
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  /** The page after this cursor (a previous answer's nextCursor). */
  after: JobCursor.optional(),
  /** The page before this cursor (a previous answer's previousCursor), or "end" for the last page. */
  before: z.union([z.literal('end'), JobCursor]).optional(),
}).superRefine((query, ctx) => {
  const cursors = [query.after, query.before].filter((cursor) => cursor !== undefined);
  if (cursors.length > 1) ctx.addIssue({ code: 'custom', path: ['before'], message: 'give after or before, not both' });
  if (cursors.length > 0 && query.offset > 0) ctx.addIssue({ code: 'custom', path: ['offset'], message: 'a cursor page takes no offset' });
  for (const [name, cursor] of [['after', query.after], ['before', query.before]] as const) {
    if (cursor === undefined || cursor === 'end') continue;
    if (cursor.sort !== query.sort || cursor.dir !== query.dir) ctx.addIssue({ code: 'custom', path: [name], message: `this cursor belongs to the order ${cursor.sort} ${cursor.dir}, not ${query.sort} ${query.dir}` });
  }
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
