import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { Problem } from '../../shared/api/problem';
import type { Job } from '../../shared/domain/job';
import type { JobStatus } from '../../shared/domain/job-status';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * A job under way (en route, on site, partly recovered) belongs to the agent working it. The
 * office's single-job edit must not leave it under way with nobody on it: the job would vanish
 * from the list of the agent at the door while its status still says they are there. A bulk
 * unassign already leaves such jobs out; this is the same rule through PATCH /jobs/{id}.
 */
let server: TestServer;
let dispatcher: string;
let agent: { token: string; id: string };
let otherAgentId: string;
let jobs: Job[];
beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  const login = await server.login('agent1');
  agent = { token: login.token, id: login.user.id };
  otherAgentId = (await server.login('agent2')).user.id;
  jobs = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent.id}&status=assigned`, { token: dispatcher })).body).jobs;
});
afterAll(() => server.close());

let next = 0;
/** One of agent1's assigned jobs, walked from the field to `status`. */
async function jobAt(status: JobStatus): Promise<Job> {
  const job = jobs[next++];
  if (!job) throw new Error('not enough assigned jobs in the demo data');
  const outbox = deviceOutbox('agent1-laptop');
  const steps = status === 'assigned' ? [] : status === 'en_route' ? [outbox.statusChange(job.id, 'assigned', 'en_route', agent.id)] : [outbox.statusChange(job.id, 'assigned', 'en_route', agent.id), outbox.statusChange(job.id, 'en_route', status, agent.id)];
  if (steps.length > 0) {
    const answer = await server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push(steps) });
    expect(PushResponse.parse(answer.body).results.map((result) => result.outcome)).toEqual(steps.map(() => 'applied'));
  }
  return (await detail(job.id)).job;
}

async function detail(jobId: string) {
  return JobDetail.parse((await server.api(`/api/v1/jobs/${jobId}`, { token: dispatcher })).body);
}

for (const [status, label] of [
  ['en_route', 'En route'],
  ['on_site', 'On site'],
] as const) {
  it(`refuses to unassign a job that is ${label}, in words, and changes nothing`, async () => {
    const job = await jobAt(status);
    const answer = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: null, expectedVersion: job.version } });
    expect(answer.status).toBe(409);
    const problem = Problem.parse(answer.body);
    expect(problem.code).toBe('conflict');
    expect(problem.detail).toMatch(new RegExp(`${label} cannot be left without its agent`));
    const after = await detail(job.id);
    expect(after.job).toMatchObject({ status, assignedAgentId: agent.id, version: job.version });
    expect(after.statusChanges.at(-1)?.to).toBe(status);
  });
}

it('hands a job on site to another agent when the dispatcher names one', async () => {
  const job = await jobAt('on_site');
  const answer = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: otherAgentId } });
  expect(answer.status).toBe(200);
  expect((await detail(job.id)).job).toMatchObject({ status: 'on_site', assignedAgentId: otherAgentId });
});

it('takes the agent off a job on site when the office puts it on hold in the same edit', async () => {
  const job = await jobAt('on_site');
  const answer = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { status: 'on_hold', assignedAgentId: null, statusReason: 'Customer disputes the account' } });
  expect(answer.status).toBe(200);
  expect((await detail(job.id)).job).toMatchObject({ status: 'on_hold', assignedAgentId: null });
});

it('still unassigns a job nobody has started, which goes back to Unassigned', async () => {
  const job = await jobAt('assigned');
  const answer = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: null } });
  expect(answer.status).toBe(200);
  expect((await detail(job.id)).job).toMatchObject({ status: 'unassigned', assignedAgentId: null });
});
