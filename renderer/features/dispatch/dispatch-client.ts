import { z } from 'zod';
import { ClientList, JobCounts } from '../../../shared/api/job-query';
import { JobDetail, JobList, type CreateJobRequest, type PatchJobRequest } from '../../../shared/api/jobs';
import { ClientContactAnswer, ClientRequirementsAnswer } from '../../../shared/api/client-requirements';
import type { ClientContact } from '../../../shared/domain/client-contact';
import { Problem } from '../../../shared/api/problem';
import { BulkResult, ImportReport, LiveJobEvent, ReviewList, type AssignJobsRequest, type HoldOrCancelRequest } from '../../../shared/dispatch/dispatch-api';
import { MapAgents, MapPoints, MapView } from '../../../shared/dispatch/dispatch-map-api';
import type { ClientRequirements } from '../../../shared/domain/client-requirements';
import { Job } from '../../../shared/domain/job';
import { User } from '../../../shared/domain/roles';
import { getBridge } from '../../platform/bridge';

/**
 * Dispatchers work online: these calls go straight to the server, never through Dexie. Every
 * failure becomes a DispatchError whose message says what happened and what to do.
 */
export class DispatchError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'DispatchError';
  }
}

async function call<S extends z.ZodType>(serverUrl: string, path: string, schema: S, init: { method?: string; json?: unknown; csv?: string } = {}): Promise<z.output<S>> {
  const token = await getBridge().getSecret('session');
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  let response: Response;
  try {
    response = await fetch(`${serverUrl}${path}`, {
      method: init.method ?? (init.json === undefined && init.csv === undefined ? 'GET' : 'POST'),
      headers,
      body: init.csv ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
    });
  } catch {
    throw new DispatchError("Can't reach the server. Dispatch works online only: check the connection; nothing was changed.", null);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem = Problem.safeParse(body);
    const detail = problem.success ? problem.data.detail ?? problem.data.title : `HTTP ${response.status}`;
    throw new DispatchError(response.status === 401 ? 'Your session ended; sign in again.' : detail, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DispatchError('The server sent an answer this app does not understand; the app or the server may need an update.', response.status);
  return parsed.data;
}

export function dispatchClient(serverUrl: string) {
  return {
    /** A page of jobs; `query` is a query string made by officeQueryString. */
    listJobs: (query: string) => call(serverUrl, `/api/v1/jobs?${query}`, JobList),
    jobCounts: (query: string) => call(serverUrl, `/api/v1/jobs/counts?${query}`, JobCounts),
    clients: () => call(serverUrl, '/api/v1/clients', ClientList),
    jobDetail: (jobId: string) => call(serverUrl, `/api/v1/jobs/${jobId}`, JobDetail),
    agents: () => call(serverUrl, '/api/v1/users?role=agent', z.object({ users: z.array(User) })),
    importCsv: (csv: string, dryRun: boolean) => call(serverUrl, `/api/v1/jobs/import${dryRun ? '?dryRun=true' : ''}`, ImportReport, { csv }),
    assign: (request: z.input<typeof AssignJobsRequest>) => call(serverUrl, '/api/v1/jobs/assignments', BulkResult, { json: request }),
    holdOrCancel: (request: z.input<typeof HoldOrCancelRequest>) => call(serverUrl, '/api/v1/jobs/hold-or-cancel', BulkResult, { json: request }),
    createJob: (request: CreateJobRequest) => call(serverUrl, '/api/v1/jobs', Job, { json: request }),
    patchJob: (jobId: string, patch: PatchJobRequest) => call(serverUrl, `/api/v1/jobs/${jobId}`, Job, { method: 'PATCH', json: patch }),
    mapPoints: () => call(serverUrl, '/api/v1/dispatch/map-points', MapPoints),
    /** What the map draws for a view; `query` is made by use-map-points' viewQuery. */
    mapView: (query: string) => call(serverUrl, `/api/v1/dispatch/map-view?${query}`, MapView),
    mapAgents: () => call(serverUrl, '/api/v1/dispatch/map-agents', MapAgents),
    reviewInbox: () => call(serverUrl, '/api/v1/review-inbox', ReviewList),
    clientRequirements: (clientId: string) => call(serverUrl, `/api/v1/clients/${clientId}/requirements`, ClientRequirementsAnswer),
    saveClientRequirements: (clientId: string, requirements: ClientRequirements) =>
      call(serverUrl, `/api/v1/clients/${clientId}/requirements`, ClientRequirementsAnswer, { method: 'PUT', json: requirements }),
    clientContact: (clientId: string) => call(serverUrl, `/api/v1/clients/${clientId}/contact`, ClientContactAnswer),
    saveClientContact: (clientId: string, contact: ClientContact) => call(serverUrl, `/api/v1/clients/${clientId}/contact`, ClientContactAnswer, { method: 'PUT', json: contact }),
    clearReview: (jobId: string, note: string) => call(serverUrl, `/api/v1/review-inbox/${jobId}/clear`, Job, { json: note ? { note } : {} }),
  };
}
export type DispatchClient = ReturnType<typeof dispatchClient>;

/**
 * Follows the server's live feed. EventSource cannot send the bearer token, so this reads the
 * text/event-stream with fetch, and reconnects (with Last-Event-ID) until stopped.
 */
export function followLiveEvents(serverUrl: string, onEvent: (event: LiveJobEvent) => void, onState: (connected: boolean) => void): () => void {
  let stopped = false;
  let lastId: string | null = null;
  let controller: AbortController | null = null;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const token = await getBridge().getSecret('session');
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (token) headers.authorization = `Bearer ${token}`;
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch(`${serverUrl}/api/v1/events`, { headers, signal: controller.signal });
        const reader = response.ok ? response.body?.getReader() : undefined;
        if (!reader) throw new Error(`HTTP ${response.status}`);
        onState(true);
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = /^data: (.*)$/m.exec(block)?.[1];
            const parsed = data ? LiveJobEvent.safeParse(JSON.parse(data)) : null;
            if (parsed?.success) {
              lastId = parsed.data.seq;
              onEvent(parsed.data);
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Offline or the server restarted: say so, wait, try again.
      }
      onState(false);
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
