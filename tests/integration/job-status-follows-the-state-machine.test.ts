import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { Problem } from '../../shared/api/problem';
import { Job } from '../../shared/domain/job';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let dispatcher: string;
let agent: { token: string; id: string };
let jobs: Job[];
beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  const login = await server.login('agent1');
  agent = { token: login.token, id: login.user.id };
  jobs = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent.id}&status=assigned`, { token: dispatcher })).body).jobs;
});
afterAll(() => server.close());

function push(mutations: readonly { id: string }[]) {
  return server
    .api('/api/v1/sync/push', { token: agent.token, protocol: true, json: deviceOutbox('agent1-laptop').push(mutations) })
    .then((answer) => PushResponse.parse(answer.body).results);
}

it('applies field transitions and records each one in the job history, by the signed-in agent', async () => {
  const job = jobs[0];
  if (!job) throw new Error('no job');
  const outbox = deviceOutbox('agent1-laptop');
  const results = await push([outbox.statusChange(job.id, 'assigned', 'en_route', agent.id), outbox.statusChange(job.id, 'en_route', 'on_site', agent.id)]);
  expect(results.map((result) => result.outcome)).toEqual(['applied', 'applied']);
  const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: dispatcher })).body);
  expect(detail.job.status).toBe('on_site');
  expect(detail.job.version).toBe(job.version + 2);
  expect(detail.statusChanges.map((change) => `${change.from}>${change.to}`)).toEqual(['unassigned>assigned', 'assigned>en_route', 'en_route>on_site']);
  expect(detail.statusChanges.slice(1).every((change) => change.byUserId === agent.id)).toBe(true);
});

it('rejects an invalid transition from the field with words, and remembers the rejection', async () => {
  const job = jobs[1];
  if (!job) throw new Error('no job');
  const closing = deviceOutbox('agent1-laptop').statusChange(job.id, 'assigned', 'closed', agent.id);
  const [result] = await push([closing]);
  expect(result).toMatchObject({ outcome: 'rejected', code: 'transition' });
  expect(result?.reason).toMatch(/cannot become Closed from the field/);
  expect((await push([closing]))[0]).toEqual(result);
  const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: dispatcher })).body);
  expect(detail.job.status).toBe('assigned');
  expect(detail.statusChanges.some((change) => change.id === closing.data.id)).toBe(false);
});

it('rejects an invalid transition from the office with a 409 problem in words', async () => {
  const job = jobs[2];
  if (!job) throw new Error('no job');
  const answer = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { status: 'recovered' } });
  expect(answer.status).toBe(409);
  const problem = Problem.parse(answer.body);
  expect(problem.code).toBe('conflict');
  expect(problem.detail).toMatch(/Assigned cannot be moved to Recovered/);
});

it('refuses a stale expectedVersion with 409 conflict', async () => {
  const job = jobs[3];
  if (!job) throw new Error('no job');
  const ok = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { priority: 'high', expectedVersion: job.version } });
  expect(ok.status).toBe(200);
  const stale = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { priority: 'low', expectedVersion: job.version } });
  expect(stale.status).toBe(409);
  expect(Problem.parse(stale.body).code).toBe('conflict');
});

it('keeps a recovery recorded in the field after the office put the job on hold, and flags it', async () => {
  const job = jobs[4];
  if (!job) throw new Error('no job');
  const outbox = deviceOutbox('agent1-laptop');
  expect((await push([outbox.statusChange(job.id, 'assigned', 'on_site', agent.id)]))[0]?.outcome).toBe('applied');

  const hold = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { status: 'on_hold', statusReason: 'Customer says the account is paid' } });
  expect(hold.status).toBe(200);

  const [result] = await push([outbox.statusChange(job.id, 'on_site', 'recovered', agent.id)]);
  expect(result).toMatchObject({ outcome: 'applied', code: 'flagged' });
  expect(result?.reason).toMatch(/review/);
  const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: dispatcher })).body);
  expect(detail.job.status).toBe('recovered');
  expect(detail.job.reviewReason).toMatch(/On hold/);
  expect(detail.statusChanges.at(-1)).toMatchObject({ from: 'on_hold', to: 'recovered', byUserId: agent.id });
});

it('moves an unassigned job to assigned when the office assigns it, and refuses a non-agent assignee', async () => {
  const unassigned = JobList.parse((await server.api('/api/v1/jobs?status=unassigned&limit=1', { token: dispatcher })).body).jobs[0];
  if (!unassigned) throw new Error('no unassigned job');
  const supervisor = await server.login('supervisor1');
  const wrong = await server.api(`/api/v1/jobs/${unassigned.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: supervisor.user.id } });
  expect(wrong.status).toBe(400);
  expect(Problem.parse(wrong.body).errors?.[0]?.path).toBe('assignedAgentId');

  const assigned = Job.parse((await server.api(`/api/v1/jobs/${unassigned.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: agent.id } })).body);
  expect(assigned).toMatchObject({ status: 'assigned', assignedAgentId: agent.id, version: unassigned.version + 1 });
});
