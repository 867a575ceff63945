import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { MapPoints } from '../../shared/dispatch/dispatch-map-api';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let dispatcher: string;
beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
});
afterAll(() => server.close());

async function mapPoints(token: string): Promise<MapPoints> {
  const answer = await server.api('/api/v1/dispatch/map-points', { token });
  expect(answer.status).toBe(200);
  return MapPoints.parse(answer.body);
}

it('refuses agents with a problem+json 403, and answers every office role', async () => {
  const agent = await server.login('agent1');
  const refused = await server.api('/api/v1/dispatch/map-points', { token: agent.token });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect((await server.api('/api/v1/dispatch/map-points')).status).toBe(401);
  for (const username of ['dispatcher1', 'supervisor1', 'admin']) {
    const { token } = await server.login(username);
    expect((await server.api('/api/v1/dispatch/map-points', { token })).status).toBe(200);
  }
});

it('sends every job as a compact point that matches the full job', async () => {
  const points = await mapPoints(dispatcher);
  const full = JobList.parse((await server.api('/api/v1/jobs?limit=1000', { token: dispatcher })).body);
  expect(points.jobs).toHaveLength(full.total);
  const job = full.jobs[0];
  if (!job) throw new Error('the demo organisation has no jobs');
  expect(points.jobs.find((point) => point.id === job.id)).toEqual({
    id: job.id,
    status: job.status,
    lat: job.address.lat,
    lon: job.address.lon,
    customerName: job.customer.name,
    addressLine: `${job.address.line1}, ${job.address.city}`,
    assignedAgentId: job.assignedAgentId,
    dueDate: job.dueDate,
  });
  expect(Object.keys(points.jobs[0] ?? {}).sort()).toEqual(['addressLine', 'assignedAgentId', 'customerName', 'dueDate', 'id', 'lat', 'lon', 'status']);
  expect(points.agents.map((agent) => agent.username).sort()).toEqual(['agent1', 'agent2', 'agent3']);
});

it('records the last sync time when an agent pulls, and a position once the agent changes a job', async () => {
  const agent2 = await server.login('agent2');
  const before = (await mapPoints(dispatcher)).agents.find((agent) => agent.id === agent2.user.id);
  expect(before?.lastSyncAt).toBeNull();
  expect(before?.lastPosition).toBeNull();

  server.advanceClock(60_000);
  const pulled = await server.api('/api/v1/sync/pull?cursor=0&limit=50', { token: agent2.token, protocol: true });
  expect(pulled.status).toBe(200);
  const afterPull = (await mapPoints(dispatcher)).agents.find((agent) => agent.id === agent2.user.id);
  expect(afterPull?.lastSyncAt).not.toBeNull();
  expect(Date.parse(afterPull?.lastSyncAt ?? '')).toBeGreaterThan(Date.now());
  expect((await mapPoints(dispatcher)).agents.find((agent) => agent.username === 'agent3')?.lastSyncAt).toBeNull();

  const mine = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent2.user.id}&status=assigned&limit=1`, { token: dispatcher })).body).jobs[0];
  if (!mine) throw new Error('agent2 has no assigned job in the demo');
  const outbox = deviceOutbox('agent2-laptop');
  const pushed = await server.api('/api/v1/sync/push', { token: agent2.token, protocol: true, json: outbox.push([outbox.statusChange(mine.id, 'assigned', 'en_route', agent2.user.id)]) });
  expect(pushed.status).toBe(200);
  const moved = (await mapPoints(dispatcher)).agents.find((agent) => agent.id === agent2.user.id);
  expect(moved?.lastPosition).toMatchObject({ lat: mine.address.lat, lon: mine.address.lon, source: 'status_change' });
});
