import { z } from 'zod';
import { IsoDateTime, Job } from '../domain/job';
import { ImportRowReport } from './import-plan';

export const ImportQuery = z.object({
  /** The preview: validate and report, write nothing. */
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => value === 'true' || value === '1'),
});

export const ImportCounts = z.object({
  rows: z.number().int(),
  goodRows: z.number().int(),
  badRows: z.number().int(),
  accounts: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Jobs with no coordinates after geocoding: the dispatcher places the pin by hand. */
  needsPin: z.number().int(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

export const ImportReport = z.object({
  dryRun: z.boolean(),
  fileProblems: z.array(z.string()),
  counts: ImportCounts,
  rows: z.array(ImportRowReport),
});
export type ImportReport = z.infer<typeof ImportReport>;

const JobIds = z.array(z.uuid()).min(1, 'choose at least one job').max(5000);

/** Assign, re-assign (another agent) or unassign (null) one job or many at once. */
export const AssignJobsRequest = z.object({ jobIds: JobIds, agentId: z.uuid().nullable() });
export type AssignJobsRequest = z.infer<typeof AssignJobsRequest>;

export const HoldOrCancelRequest = z.object({
  jobIds: JobIds,
  status: z.enum(['on_hold', 'cancelled']),
  reason: z.string().trim().min(1, 'give a reason').max(500),
});
export type HoldOrCancelRequest = z.infer<typeof HoldOrCancelRequest>;

export const BulkResult = z.object({
  results: z.array(
    z.object({
      jobId: z.uuid(),
      outcome: z.enum(['done', 'refused']),
      reason: z.string().nullable(),
      job: Job.nullable(),
    }),
  ),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const ReviewList = z.object({ jobs: z.array(Job) });
export type ReviewList = z.infer<typeof ReviewList>;

export const ClearReviewRequest = z.object({ note: z.string().trim().max(500).optional() });

/** One line of the dispatcher audit trail: who did what to which job, when. */
export const DispatchAuditEntry = z.object({
  id: z.uuid(),
  at: IsoDateTime,
  userId: z.uuid(),
  action: z.string(),
  jobId: z.uuid().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type DispatchAuditEntry = z.infer<typeof DispatchAuditEntry>;
export const DispatchAuditList = z.object({ entries: z.array(DispatchAuditEntry) });

/** What the live feed sends: a job changed (by seq in the server's change log). */
export const LiveJobEvent = z.object({ seq: z.string(), entity: z.string(), jobId: z.uuid() });
export type LiveJobEvent = z.infer<typeof LiveJobEvent>;
