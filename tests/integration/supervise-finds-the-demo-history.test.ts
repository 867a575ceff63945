import { afterAll, beforeAll, expect, it } from 'vitest';
import { CustodySearchResult, DashboardFigures, ItemTimeline } from '../../shared/supervise/supervise-api';
import { HISTORY_JOB_COUNT } from '../../server/demo/demo-history';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('supervisor1')).token;
});
afterAll(() => server.close());

it('the demo has weeks of recovered items whose signed custody chains verify', async () => {
  const found = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=200', { token })).body);
  expect(new Set(found.hits.map((hit) => hit.jobId)).size).toBe(HISTORY_JOB_COUNT);
  expect(found.hits.every((hit) => hit.jobStatus === 'closed' && hit.lastEventKind === 'received')).toBe(true);
  for (const hit of found.hits.slice(0, 8)) {
    const timeline = ItemTimeline.parse((await server.api(`/api/v1/custody/items/${hit.itemId}`, { token })).body);
    expect(timeline.verdict.intact, JSON.stringify(timeline.verdict)).toBe(true);
    expect(timeline.events[0]?.signatureHashes).toHaveLength(1);
    const signature = await server.api(`/api/v1/blobs/${timeline.events[0]?.signatureHashes[0]}`, { token });
    expect(signature.status).toBe(200);
  }
  const dashboard = DashboardFigures.parse((await server.api('/api/v1/supervise/dashboard?days=35', { token })).body);
  expect(dashboard.recoveriesPerDay.reduce((sum, day) => sum + day.items, 0)).toBe(found.total);
  expect(dashboard.recoveriesPerAgent.map((row) => row.agentName).sort()).toEqual(['Elena Kowalczyk', 'Marcus Bell', 'Tomás Herrera']);
  expect(dashboard.recoveryRate).toBeGreaterThan(0.5);
  expect(dashboard.averageDaysAssignmentToRecovery).toBeGreaterThan(0);
  expect(dashboard.outstandingByClient.length).toBe(3);
});

it('the demo is the same every time it is seeded', async () => {
  const other = await startTestServer();
  const otherToken = (await other.login('supervisor1')).token;
  const serials = async (at: typeof server, as: string) => CustodySearchResult.parse((await at.api('/api/v1/custody/search?limit=200', { token: as })).body).hits.map((hit) => hit.serial).sort();
  expect(await serials(other, otherToken)).toEqual(await serials(server, token));
  await other.close();
});

it('finds the history by the agent who worked it, though closed jobs leave the agents', async () => {
  const agents = (await server.api('/api/v1/users?role=agent', { token })).body as { users: { id: string; username: string }[] };
  const agent2 = agents.users.find((user) => user.username === 'agent2');
  const found = CustodySearchResult.parse((await server.api(`/api/v1/custody/search?agentId=${agent2?.id}&limit=200`, { token })).body);
  expect(found.total).toBeGreaterThan(0);
  expect(found.hits.every((hit) => hit.agentName === 'Elena Kowalczyk')).toBe(true);
});
