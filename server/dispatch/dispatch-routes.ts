import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AssignJobsRequest, BulkResult, ClearReviewRequest, DispatchAuditList, HoldOrCancelRequest, ImportQuery, ImportReport, ReviewList } from '../../shared/dispatch/dispatch-api';
import { MapAgents, MapPoints, MapView, MapViewQuery } from '../../shared/dispatch/dispatch-map-api';
import { JobIdParams } from '../../shared/api/jobs';
import { Job } from '../../shared/domain/job';
import { nowIso, type ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { assignJobs, holdOrCancelJobs } from './bulk-dispatch';
import { dispatchAudit } from './dispatch-audit';
import { importJobs } from './import-jobs';
import { recordLastSyncOnPull } from './last-sync';
import { createLiveFeed } from './live-feed';
import { mapAgents, mapPoints } from './map-points';
import { mapView } from './map-view';
import { clearReview, flaggedJobs } from './review-inbox';
import { writeTransaction } from '../store/change-log';

/** An import file is text; 20,000 rows of a wide lessor export fit well inside this. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

export function registerDispatchRoutes(app: FastifyInstance, api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_request, body, done) => done(null, body));
  const feed = createLiveFeed(db, {
    notifications: context.changeNotifications,
    ...(context.livePollMs ? { pollMs: context.livePollMs } : {}),
    ...(context.requestLimits ? { maxStreamsPerUser: context.requestLimits.liveStreamsPerUser, idleMs: context.requestLimits.liveStreamIdleMs } : {}),
  });
  app.addHook('preClose', async () => feed.closeAll());
  recordLastSyncOnPull(app, db, () => nowIso(context));

  api.route({
    method: 'POST',
    url: '/api/v1/jobs/import',
    summary: 'Import recovery jobs from a CSV of accounts (one row per expected item); dryRun=true previews the per-row report without writing',
    tag: 'dispatch',
    action: 'jobs.write',
    query: ImportQuery,
    binaryBody: { contentTypes: ['text/csv'] },
    response: { status: 200, description: 'The per-row report and counts', schema: ImportReport },
    handler: async ({ query, request, principal }) => {
      if (typeof request.body !== 'string') throw problems.validation('Send the file as the request body with content type text/csv.');
      return importJobs({ db, userId: principal.userId, at: nowIso(context), geocoderUrl: context.geocoderUrl }, request.body, query.dryRun);
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/jobs/assignments',
    summary: 'Assign, re-assign (agentId) or unassign (agentId null) one job or many',
    tag: 'dispatch',
    action: 'jobs.write',
    body: AssignJobsRequest,
    response: { status: 200, description: 'What happened to each job', schema: BulkResult },
    handler: async ({ body, principal }) => assignJobs({ db, userId: principal.userId, at: nowIso(context), clock: context.clock }, body),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/jobs/hold-or-cancel',
    summary: 'Put one job or many on hold, or cancel them, with a reason',
    tag: 'dispatch',
    action: 'jobs.write',
    body: HoldOrCancelRequest,
    response: { status: 200, description: 'What happened to each job', schema: BulkResult },
    handler: async ({ body, principal }) => holdOrCancelJobs({ db, userId: principal.userId, at: nowIso(context), clock: context.clock }, body),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/review-inbox',
    summary: 'Jobs flagged for review by the sync merge rules',
    tag: 'dispatch',
    action: 'jobs.search',
    response: { status: 200, description: 'Flagged jobs, most recent first', schema: ReviewList },
    handler: async () => ({ jobs: await flaggedJobs(db) }),
  });

  api.route({
    method: 'POST',
    url: '/api/v1/review-inbox/:id/clear',
    summary: 'Clear a job’s review flag (recorded with who and when)',
    tag: 'dispatch',
    action: 'jobs.write',
    problems: [409],
    params: JobIdParams,
    body: ClearReviewRequest,
    response: { status: 200, description: 'The job without its flag', schema: Job },
    handler: async ({ params, body, principal }) =>
      writeTransaction(db, (trx) => clearReview({ db: trx, userId: principal.userId, at: nowIso(context) }, params.id, body.note)),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/dispatch/audit',
    summary: 'The dispatcher audit trail, newest first, optionally for one job',
    tag: 'dispatch',
    action: 'jobs.search',
    query: z.object({ jobId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
    response: { status: 200, description: 'Audit entries', schema: DispatchAuditList },
    handler: async ({ query }) => ({ entries: await dispatchAudit(db).list(query) }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/dispatch/map-points',
    summary: 'Every job as a map point (status, coordinates, customer, agent, due date) and each agent’s last sync and last known position',
    tag: 'dispatch',
    action: 'jobs.search',
    response: { status: 200, description: 'Job points and agents', schema: MapPoints },
    handler: async () => mapPoints(db),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/dispatch/map-view',
    summary: 'The jobs in a map view (a box and a zoom) that match the office filter: each job when few, else clusters counted by status; with the view’s exact counts and the jobs still without a pin',
    tag: 'dispatch',
    action: 'jobs.search',
    query: MapViewQuery,
    response: { status: 200, description: 'What the map draws for this view', schema: MapView },
    handler: async ({ query }) => mapView(db, query),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/dispatch/map-agents',
    summary: 'Each active agent’s last sync and last known position, for the map',
    tag: 'dispatch',
    action: 'jobs.search',
    response: { status: 200, description: 'Agents', schema: MapAgents },
    handler: async () => ({ agents: await mapAgents(db) }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/events',
    summary: 'Live job changes as server-sent events (event "job", id = change sequence; send Last-Event-ID to resume)',
    tag: 'dispatch',
    action: 'jobs.search',
    problems: [429],
    response: { status: 200, description: 'text/event-stream', binary: true },
    handler: async ({ request, reply }) => feed.stream(request, reply),
  });
}
