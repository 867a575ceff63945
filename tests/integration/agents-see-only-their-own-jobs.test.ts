import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { Job } from '../../shared/domain/job';
import { PullResponse, PushResponse, type Change } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let dispatcher: string;
const agents: Record<string, { token: string; id: string; cursor: string }> = {};
beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  for (const name of ['agent1', 'agent2', 'agent3']) {
    const login = await server.login(name);
    agents[name] = { token: login.token, id: login.user.id, cursor: '0' };
  }
});
afterAll(() => server.close());

async function pullAll(name: string): Promise<Change[]> {
  const agent = agents[name];
  if (!agent) throw new Error(name);
  const changes: Change[] = [];
  for (;;) {
    const page = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${agent.cursor}&limit=50`, { token: agent.token, protocol: true })).body);
    changes.push(...page.changes);
    agent.cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

function jobsOf(changes: readonly Change[]): Job[] {
  return changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
}

it('gives each agent only the jobs assigned to them, with their assignment history', async () => {
  const all = JobList.parse((await server.api('/api/v1/jobs?limit=100', { token: dispatcher })).body).jobs;
  for (const name of ['agent1', 'agent2', 'agent3']) {
    const agent = agents[name];
    const changes = await pullAll(name);
    const received = jobsOf(changes);
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((job) => job.assignedAgentId === agent?.id)).toBe(true);
    const expected = all.filter((job) => job.assignedAgentId === agent?.id).map((job) => job.id).sort();
    expect([...new Set(received.map((job) => job.id))].sort()).toEqual(expected);
    const statusChanges = changes.flatMap((change) => (change.entity === 'jobStatusChange' ? [change.data] : []));
    expect(statusChanges.filter((change) => change.to === 'assigned').map((change) => change.jobId).sort()).toEqual(expected);
  }
});

it('on reassignment, the old agent gets a removal and never the job again; the new one gets it with its history', async () => {
  const list = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agents.agent1?.id}&limit=1`, { token: dispatcher })).body);
  const job = list.jobs[0];
  if (!job) throw new Error('agent1 has no job');

  const outbox = deviceOutbox('agent1-laptop');
  const note = outbox.note(job.id, 'Gate was locked; will come back Thursday', agents.agent1?.id ?? '');
  const pushed = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agents.agent1?.token, protocol: true, json: outbox.push([note]) })).body);
  expect(pushed.results[0]?.outcome).toBe('applied');
  await pullAll('agent1');

  const patched = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: agents.agent2?.id, expectedVersion: job.version } });
  expect(patched.status).toBe(200);
  expect(Job.parse(patched.body)).toMatchObject({ assignedAgentId: agents.agent2?.id, status: 'assigned', version: job.version + 1 });

  const toOld = await pullAll('agent1');
  expect(toOld).toEqual([expect.objectContaining({ entity: 'jobRemoval', op: 'remove', id: job.id })]);

  const toNew = await pullAll('agent2');
  expect(jobsOf(toNew).map((received) => received.id)).toEqual([job.id]);
  expect(toNew[0]?.entity).toBe('job');
  expect(toNew.some((change) => change.entity === 'jobNote' && change.data.id === note.data.id)).toBe(true);
  expect(toNew.filter((change) => change.entity === 'jobStatusChange').length).toBeGreaterThanOrEqual(1);

  // Work the old agent did offline before learning of the move is kept and flagged for the
  // dispatcher (see work-on-a-reassigned-job-is-kept-and-flagged); it goes to the new agent,
  // and later office edits do not reach the old one.
  const late = deviceOutbox('agent1-laptop').note(job.id, 'late note', agents.agent1?.id ?? '');
  const kept = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agents.agent1?.token, protocol: true, json: outbox.push([late]) })).body);
  expect(kept.results[0]).toMatchObject({ outcome: 'applied', code: 'flagged' });
  expect(await pullAll('agent1')).toEqual([]);
  expect((await pullAll('agent2')).some((change) => change.entity === 'jobNote' && change.data.id === late.data.id)).toBe(true);
  await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { priority: 'urgent' } });
  expect(await pullAll('agent1')).toEqual([]);
  expect(jobsOf(await pullAll('agent2'))).toEqual([expect.objectContaining({ id: job.id, priority: 'urgent' })]);

  // A fresh laptop for agent1 (cursor 0) replays agent1's log: the job never shows up there.
  const fresh = agents.agent1;
  if (!fresh) throw new Error('agent1');
  fresh.cursor = '0';
  const replay = await pullAll('agent1');
  expect(jobsOf(replay).some((received) => received.id === job.id)).toBe(false);
  expect(replay.some((change) => change.entity !== 'jobRemoval' && change.entity !== 'job' && change.data.jobId === job.id)).toBe(false);
});

it('unassigning takes the job off the agent and back to unassigned', async () => {
  const list = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agents.agent3?.id}&limit=1`, { token: dispatcher })).body);
  const job = list.jobs[0];
  if (!job) throw new Error('agent3 has no job');
  await pullAll('agent3');
  const patched = Job.parse((await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { assignedAgentId: null } })).body);
  expect(patched).toMatchObject({ status: 'unassigned', assignedAgentId: null });
  expect(await pullAll('agent3')).toEqual([expect.objectContaining({ entity: 'jobRemoval', id: job.id })]);
});
