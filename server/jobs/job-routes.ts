import { ClientList, JobCounts, JobCountsQuery } from '../../shared/api/job-query';
import { CreateJobRequest, JobDetail, JobIdParams, JobList, JobListQuery, PatchJobRequest } from '../../shared/api/jobs';
import { Job } from '../../shared/domain/job';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { jobHistoryRepository } from '../store/job-history-repository';
import { officeJobsRepository } from '../store/office-jobs-repository';
import { createJob, patchJob } from './dispatch';
import { peopleOnJobs } from './people-on-jobs';
import { PeopleOnJobs } from '../../shared/api/people';
import { writeTransaction } from '../store/change-log';

/** The office's jobs API. Agents get their jobs by sync; they may read one of their own here too. */
export function registerJobRoutes(api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;

  api.route({
    method: 'GET',
    url: '/api/v1/jobs',
    summary: 'A page of jobs: filtered by status, agent, client, priority, due date, review flag and words; sorted by any column of the office table',
    tag: 'jobs',
    action: 'jobs.search',
    query: JobListQuery,
    response: { status: 200, description: 'A page of jobs and the exact total that match', schema: JobList },
    handler: async ({ query }) => officeJobsRepository(db).list(query),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/jobs/counts',
    summary: 'Exact job totals for a filter: by status (the status filter aside), overdue by status, and flagged for review',
    tag: 'jobs',
    action: 'jobs.search',
    query: JobCountsQuery,
    response: { status: 200, description: 'Counts from the database', schema: JobCounts },
    handler: async ({ query }) => officeJobsRepository(db).counts(query),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/clients',
    summary: 'Every client with its number of jobs',
    tag: 'jobs',
    action: 'jobs.search',
    response: { status: 200, description: 'Clients by name', schema: ClientList },
    handler: async () => ({ clients: await officeJobsRepository(db).clients() }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/jobs',
    summary: 'Create a recovery job, optionally assigned to an agent',
    tag: 'jobs',
    action: 'jobs.write',
    problems: [409],
    body: CreateJobRequest,
    response: { status: 201, description: 'The job as created', schema: Job },
    handler: async ({ body, principal }) =>
      writeTransaction(db, (trx) => createJob({ db: trx, userId: principal.userId, at: nowIso(context), clock: context.clock }, body)),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/jobs/:id',
    summary: 'A job with its status history and notes',
    tag: 'jobs',
    action: 'jobs.read',
    params: JobIdParams,
    response: { status: 200, description: 'The job and its history', schema: JobDetail },
    handler: async ({ params, grant }) => {
      const job = await grant.requireJobInScope(params.id, 'No job with this id.');
      const history = jobHistoryRepository(db);
      return { job, statusChanges: await history.statusChangesOf(job.id), notes: await history.notesOf(job.id) };
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/people',
    summary: "The names and roles of the people on the caller's jobs' histories (an agent's own jobs only)",
    tag: 'jobs',
    action: 'jobs.read',
    response: { status: 200, description: 'Display names and roles, nothing more', schema: PeopleOnJobs },
    handler: async ({ principal, grant }) => ({ people: await peopleOnJobs(db, { userId: principal.userId, ownJobsOnly: grant.scope === 'own jobs' }) }),
  });

  api.route({
    method: 'PATCH',
    url: '/api/v1/jobs/:id',
    summary: 'Change, assign, re-assign or move a job through its states',
    tag: 'jobs',
    action: 'jobs.write',
    problems: [409],
    params: JobIdParams,
    body: PatchJobRequest,
    response: { status: 200, description: 'The job after the change', schema: Job },
    handler: async ({ params, body, principal }) =>
      writeTransaction(db, (trx) => patchJob({ db: trx, userId: principal.userId, at: nowIso(context), clock: context.clock }, params.id, body)),
  });
}
