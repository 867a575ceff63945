import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { JobList } from '../../shared/api/jobs';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
let jobId = '';
let agentId = '';
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent1', 'agent2', 'dispatcher1', 'supervisor1', 'admin']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    if (name === 'agent2') agentId = login.user.id;
  }
  jobId = JobList.parse((await server.api('/api/v1/jobs?limit=1', { token: tokens.dispatcher1 })).body).jobs[0]?.id ?? '';
});
afterAll(() => server.close());

const csv = () => accountsCsv([accountRow(1)]);

const dispatchCalls: Record<string, () => { path: string; method?: string; json?: unknown; body?: string; headers?: Record<string, string> }> = {
  'list jobs': () => ({ path: '/api/v1/jobs' }),
  'read a job': () => ({ path: `/api/v1/jobs/${jobId}` }),
  'import (dry run)': () => ({ path: '/api/v1/jobs/import?dryRun=true', method: 'POST', body: csv(), headers: { 'content-type': 'text/csv' } }),
  import: () => ({ path: '/api/v1/jobs/import', method: 'POST', body: csv(), headers: { 'content-type': 'text/csv' } }),
  assign: () => ({ path: '/api/v1/jobs/assignments', json: { jobIds: [jobId], agentId } }),
  'hold or cancel': () => ({ path: '/api/v1/jobs/hold-or-cancel', json: { jobIds: [jobId], status: 'on_hold', reason: 'client asked' } }),
  'read the review inbox': () => ({ path: '/api/v1/review-inbox' }),
  'clear a review flag': () => ({ path: `/api/v1/review-inbox/${jobId}/clear`, json: {} }),
  'read the audit trail': () => ({ path: '/api/v1/dispatch/audit' }),
  'watch live events': () => ({ path: '/api/v1/events' }),
};

describe('the dispatch role matrix', () => {
  // Reading one job is the agent's right on their own jobs (the role matrix's jobs.read); see below.
  it.each(Object.keys(dispatchCalls).filter((what) => what !== 'read a job'))('an agent cannot %s: 403 problem+json', async (what) => {
    const call = dispatchCalls[what]?.();
    if (!call) throw new Error(what);
    const answer = await server.api(call.path, { token: tokens.agent1, method: call.method, json: call.json, body: call.body, headers: call.headers });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Problem.parse(answer.body)).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it.each(['import', 'assign', 'hold or cancel', 'clear a review flag'])('a supervisor audits but cannot %s', async (what) => {
    const call = dispatchCalls[what]?.();
    if (!call) throw new Error(what);
    const answer = await server.api(call.path, { token: tokens.supervisor1, method: call.method, json: call.json, body: call.body, headers: call.headers });
    expect(answer.status).toBe(403);
    expect(Problem.parse(answer.body).detail).toBe('Only these roles may do this: dispatcher, admin.');
  });

  it('a dispatcher can dry-run an import and read the inbox and audit trail', async () => {
    for (const what of ['import (dry run)', 'read the review inbox', 'read the audit trail']) {
      const call = dispatchCalls[what]?.();
      if (!call) throw new Error(what);
      const answer = await server.api(call.path, { token: tokens.dispatcher1, method: call.method, json: call.json, body: call.body, headers: call.headers });
      expect(answer.status, what).toBe(200);
    }
  });

  it("an agent reads their own job, and another agent's job is answered as if it did not exist", async () => {
    const jobs = JobList.parse((await server.api('/api/v1/jobs?limit=200', { token: tokens.dispatcher1 })).body).jobs;
    const own = jobs.find((job) => job.assignedAgentId === agentId);
    const other = jobs.find((job) => job.assignedAgentId !== null && job.assignedAgentId !== agentId);
    if (!own || !other) throw new Error('the demo has jobs for agent2 and for others');
    expect((await server.api(`/api/v1/jobs/${own.id}`, { token: tokens.agent2 })).status).toBe(200);
    const refused = await server.api(`/api/v1/jobs/${other.id}`, { token: tokens.agent2 });
    expect(refused.status).toBe(404);
    expect(Problem.parse(refused.body).code).toBe('not_found');
  });

  it('an import sent as JSON is refused in words', async () => {
    const answer = await server.api('/api/v1/jobs/import', { token: tokens.dispatcher1, json: { rows: [] } });
    expect(answer.status).toBe(400);
    expect(Problem.parse(answer.body).detail).toMatch(/text\/csv/);
  });
});
