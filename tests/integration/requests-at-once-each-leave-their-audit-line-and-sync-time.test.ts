import { afterAll, beforeAll, expect, it } from 'vitest';
import { MapPoints } from '../../shared/dispatch/dispatch-map-api';
import { JobList } from '../../shared/api/jobs';
import { AuditSearchResult } from '../../shared/supervise/supervise-api';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * The audit line of a write and the time a laptop last synced are written together for requests
 * that arrive at once (server/store/group-writer.ts), so that a fleet's requests do not cost a
 * commit each. Through the real HTTP API, on the test store (SQLite, or PostgreSQL in the
 * PostgreSQL run): many requests at once each leave exactly their own line, with their own
 * caller and status, and every agent that pulled at once has its sync time.
 */
let server: TestServer;
let supervisor: string;
let dispatcher: string;
beforeAll(async () => {
  server = await startTestServer();
  supervisor = (await server.login('supervisor1')).token;
  dispatcher = (await server.login('dispatcher1')).token;
});
afterAll(() => server.close());

it('gives each of many writes at once its own audit line, refusals included', async () => {
  const agent = await server.login('agent1');
  const job = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent.user.id}&limit=1`, { token: dispatcher })).body).jobs[0];
  if (!job) throw new Error('the demo organisation gives agent1 a job');
  const outbox = deviceOutbox('agent1-laptop');
  const pushes = 30;
  const refusals = 10;
  const answers = await Promise.all([
    ...Array.from({ length: pushes }, (_, n) =>
      server.api('/api/v1/sync/push', { token: agent.token, protocol: true, json: outbox.push([outbox.note(job.id, `At once ${n}`, agent.user.id)]) }),
    ),
    // An agent may not assign jobs: each refusal is audited under the agent.
    ...Array.from({ length: refusals }, () => server.api('/api/v1/jobs/assignments', { token: agent.token, json: { jobIds: [job.id], agentId: agent.user.id } })),
  ]);
  expect(answers.slice(0, pushes).map((answer) => answer.status)).toEqual(Array.from({ length: pushes }, () => 200));
  for (const answer of answers.slice(0, pushes)) expect(PushResponse.parse(answer.body).results[0]?.outcome).toBe('applied');
  expect(answers.slice(pushes).map((answer) => answer.status)).toEqual(Array.from({ length: refusals }, () => 403));

  const audited = async (route: string) =>
    AuditSearchResult.parse((await server.api(`/api/v1/audit?route=${encodeURIComponent(route)}&limit=500`, { token: supervisor })).body).entries.filter((entry) => entry.username === 'agent1');
  const pushed = await audited('/api/v1/sync/push');
  const refused = await audited('/api/v1/jobs/assignments');
  expect(pushed).toHaveLength(pushes);
  expect(refused).toHaveLength(refusals);
  for (const entry of pushed) expect(entry).toMatchObject({ method: 'POST', role: 'agent', deviceId: 'agent1-laptop', status: 200 });
  for (const entry of refused) expect(entry).toMatchObject({ method: 'POST', role: 'agent', deviceId: 'agent1-laptop', status: 403 });
  expect(new Set([...pushed, ...refused].map((entry) => entry.id)).size).toBe(pushes + refusals);
});

it('records the sync time of every agent that pulled at once', async () => {
  const agents = await Promise.all(['agent1', 'agent2', 'agent3'].map((name) => server.login(name)));
  server.advanceClock(120_000);
  const pulls = await Promise.all(
    agents.flatMap((agent) => Array.from({ length: 5 }, () => server.api('/api/v1/sync/pull?cursor=0&limit=5', { token: agent.token, protocol: true }))),
  );
  expect(pulls.map((answer) => answer.status)).toEqual(pulls.map(() => 200));
  const points = MapPoints.parse((await server.api('/api/v1/dispatch/map-points', { token: dispatcher })).body);
  for (const agent of agents) {
    const synced = points.agents.find((point) => point.id === agent.user.id)?.lastSyncAt;
    // The server's clock was moved two minutes ahead: only a pull of this test can have written it.
    expect(Date.parse(synced ?? '')).toBeGreaterThan(Date.now() + 60_000);
  }
});
