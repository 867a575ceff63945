import { z } from 'zod';
import { Job, JobFields, JobNote, JobStatusChange, Priority } from '../domain/job';
import { JobStatus } from '../domain/job-status';

export const JobIdParams = z.object({ id: z.uuid() });

export { JobListQuery } from './job-query';

export const JobList = z.object({
  jobs: z.array(Job),
  /** Every job the filter matches, counted in the database. */
  total: z.number().int(),
  /** Ask with after=this for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Ask with before=this for the page before; null on the first page. */
  previousCursor: z.string().nullable(),
});
export type JobList = z.infer<typeof JobList>;

export const CreateJobRequest = JobFields.extend({
  /** Client-made ids are allowed so an office client can create jobs offline later. */
  id: z.uuid().optional(),
  assignedAgentId: z.uuid().nullable().default(null),
});
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

/**
 * What the office may change on a job. Status changes go through the state machine; assigning
 * an agent to an unassigned job moves it to `assigned`, unassigning moves it back.
 */
export const PatchJobRequest = JobFields.partial()
  .extend({
    status: JobStatus.optional(),
    assignedAgentId: z.uuid().nullable().optional(),
    statusReason: z.string().max(500).optional(),
    /** Optimistic concurrency: when given, the patch applies only to this version. */
    expectedVersion: z.number().int().nonnegative().optional(),
  })
  .refine((patch) => Object.keys(patch).some((key) => key !== 'expectedVersion' && key !== 'statusReason'), {
    message: 'nothing to change',
  });
export type PatchJobRequest = z.infer<typeof PatchJobRequest>;

export const JobDetail = z.object({
  job: Job,
  statusChanges: z.array(JobStatusChange),
  notes: z.array(JobNote),
});
export type JobDetail = z.infer<typeof JobDetail>;

export { Priority };
