import { z } from 'zod';
import { IsoDateTime, Job } from '../domain/job';
import { JobStatus } from '../domain/job-status';
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

/**
 * A job as the dispatcher saw it when choosing it, and whether they confirmed the move. The
 * server refuses a job that is no longer as seen (an agent started it meanwhile), and one that
 * leaves an agent's list or is under way unless it was confirmed (shared/dispatch/bulk-action).
 */
export const SeenJob = z.object({
  jobId: z.uuid(),
  agentId: z.uuid().nullable(),
  status: JobStatus,
  /** The dispatcher confirmed taking it from its agent, or changing it while under way. */
  confirmed: z.boolean().default(false),
});
export type SeenJob = z.input<typeof SeenJob>;

const Seen = z.array(SeenJob).max(5000).default([]);

/**
 * Assign, re-assign (another agent) or unassign (null) one job or many at once. `seen` holds
 * what the dispatcher saw of each job; a job missing from it is judged as the server finds it,
 * so only jobs nobody else has go through unconfirmed.
 */
export const AssignJobsRequest = z.object({ jobIds: JobIds, agentId: z.uuid().nullable(), seen: Seen });
export type AssignJobsRequest = z.infer<typeof AssignJobsRequest>;

export const HoldOrCancelRequest = z.object({
  jobIds: JobIds,
  status: z.enum(['on_hold', 'cancelled']),
  reason: z.string().trim().min(1, 'give a reason').max(500),
  seen: Seen,
});
export type HoldOrCancelRequest = z.infer<typeof HoldOrCancelRequest>;

/**
 * Why a job was refused, for grouping: it changed since the dispatcher saw it, it needed a
 * confirmation nobody gave, the act does not apply to it, or anything else (no such job, an
 * agent who cannot take jobs).
 */
export const BulkRefusal = z.enum(['changed_meanwhile', 'needs_confirmation', 'not_applicable', 'other']);
export type BulkRefusal = z.infer<typeof BulkRefusal>;

export const BulkResult = z.object({
  results: z.array(
    z.object({
      jobId: z.uuid(),
      outcome: z.enum(['done', 'refused']),
      reason: z.string().nullable(),
      refusal: BulkRefusal.nullable().default(null),
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
