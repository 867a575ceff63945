import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAP_UNPLACED_SHOWN, MAP_VIEW_JOB_CAP, MapAgents, MapView } from '../../shared/dispatch/dispatch-map-api';
import { BulkResult } from '../../shared/dispatch/dispatch-api';
import type { Job } from '../../shared/domain/job';
import { jobStatuses } from '../../shared/domain/job-status';
import { accountRow } from '../fixtures/dispatch/accounts-csv';
import { importAccounts, officeApi } from './helpers/office-jobs';
import { startTestServer, type TestServer } from './helpers/server';

/*
 * The dispatch map asks the server for its view (issue 15) instead of loading every job: the jobs
 * in a box that match a filter, one by one when few, else the server's clusters; always with the
 * view's exact counts and the jobs still without a pin. Each answer is checked against a model
 * of every job read through the list API, on SQLite and on PostgreSQL.
 */

/** More than the map draws one by one, so the whole area comes clustered. */
const ACCOUNTS = MAP_VIEW_JOB_CAP + 300;
const WITHOUT_PIN = 60;

let server: TestServer;
let dispatcher: string;
let everyJob: Job[] = [];
let agent1 = '';

type Box = { west: number; south: number; east: number; north: number };
const wholeArea: Box = { west: -88.3, south: 41.5, east: -87.2, north: 42.3 };
/** Around the accounts whose number ends in 00–09: ten of the fixture's hundred places. */
const smallBox: Box = { west: -87.64, south: 41.879, east: -87.629, north: 41.8895 };

async function view(box: Box, zoom: number, extra = ''): Promise<MapView> {
  const answer = await server.api(`/api/v1/dispatch/map-view?west=${box.west}&south=${box.south}&east=${box.east}&north=${box.north}&zoom=${zoom}${extra}`, { token: dispatcher });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return MapView.parse(answer.body);
}

const located = (job: Job): job is Job & { address: { lat: number; lon: number } } => job.address.lat !== null && job.address.lon !== null;
const inBox = (job: Job, box: Box) => located(job) && job.address.lat >= box.south && job.address.lat <= box.north && job.address.lon >= box.west && job.address.lon <= box.east;

function statusCounts(jobs: readonly Job[]): number[] {
  return jobStatuses.map((status) => jobs.filter((job) => job.status === status).length);
}

beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  agent1 = (await server.login('agent1')).user.id;
  await importAccounts(server, dispatcher, 1, ACCOUNTS, (n) => accountRow(n, n % 50 === 7 ? { lat: '', lon: '', client: 'Metro Medical' } : { client: n % 2 ? 'Metro Medical' : 'Prairie Leasing' }));
  const api = officeApi(server, dispatcher);
  const imported = (await api.all('sort=account&q=lc-')).jobs;
  BulkResult.parse((await server.api('/api/v1/jobs/assignments', { token: dispatcher, json: { jobIds: imported.slice(0, 400).map((job) => job.id), agentId: agent1 } })).body);
  everyJob = (await api.all('sort=due')).jobs;
}, 300_000);
afterAll(() => server.close());

describe('the map view', () => {
  it('is the server’s clusters when the box holds more jobs than the map draws one by one, with exact counts', async () => {
    const expected = everyJob.filter((job) => inBox(job, wholeArea));
    expect(expected.length).toBeGreaterThan(MAP_VIEW_JOB_CAP);
    const answer = await view(wholeArea, 10);
    expect(answer.total).toBe(expected.length);
    expect(answer.jobs).toEqual([]);
    expect(answer.clusters.length).toBeGreaterThan(1);
    expect(answer.clusters.reduce((sum, cluster) => sum + cluster.count, 0)).toBe(expected.length);
    expect(answer.byStatus).toEqual(statusCounts(expected));
    const byClusters = jobStatuses.map((_, i) => answer.clusters.reduce((sum, cluster) => sum + (cluster.byStatus[i] ?? 0), 0));
    expect(byClusters).toEqual(answer.byStatus);
    for (const cluster of answer.clusters) {
      expect(cluster.lat).toBeGreaterThanOrEqual(wholeArea.south);
      expect(cluster.lon).toBeLessThanOrEqual(wholeArea.east);
    }
    expect(answer.byAgent.find((entry) => entry.agentId === agent1)?.count).toBe(expected.filter((job) => job.assignedAgentId === agent1).length);
    // Closer in, the same jobs fall into more, smaller clusters.
    expect((await view(wholeArea, 15)).clusters.length).toBeGreaterThan(answer.clusters.length);
  });

  it('sends each job in a small box one by one, and only those', async () => {
    const expected = everyJob.filter((job) => inBox(job, smallBox));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThanOrEqual(MAP_VIEW_JOB_CAP);
    const answer = await view(smallBox, 15);
    expect(answer.clusters).toEqual([]);
    expect(answer.total).toBe(expected.length);
    expect(answer.jobs.map((job) => job.id).sort()).toEqual(expected.map((job) => job.id).sort());
    const job = expected[0];
    expect(answer.jobs.find((point) => point.id === job?.id)).toMatchObject({ status: job?.status, lat: job?.address.lat, lon: job?.address.lon, customerName: job?.customer.name, assignedAgentId: job?.assignedAgentId, dueDate: job?.dueDate });
  });

  it('takes the office list’s filters', async () => {
    const clientId = everyJob.find((job) => job.clientName === 'Prairie Leasing')?.clientId ?? '';
    const expected = everyJob.filter((job) => inBox(job, wholeArea) && job.clientId === clientId && job.status === 'assigned');
    expect(expected.length).toBeGreaterThan(0);
    const answer = await view(wholeArea, 12, `&clientId=${clientId}&status=assigned`);
    expect(answer.total).toBe(expected.length);
    expect(answer.clusters).toEqual([]);
    expect(answer.jobs.map((job) => job.id).sort()).toEqual(expected.map((job) => job.id).sort());
  });

  it('lists the jobs without a pin wherever the view is, counted exactly', async () => {
    const expected = everyJob.filter((job) => !located(job));
    expect(expected.length).toBeGreaterThanOrEqual(WITHOUT_PIN - 10);
    const answer = await view(smallBox, 15);
    expect(answer.unplaced.total).toBe(expected.length);
    expect(answer.unplaced.jobs).toHaveLength(Math.min(MAP_UNPLACED_SHOWN, expected.length));
    for (const job of answer.unplaced.jobs) expect(job.lat === null || job.lon === null).toBe(true);
  });

  it('frames every located job once asked', async () => {
    const jobs = everyJob.filter(located);
    const answer = await view(smallBox, 15, '&extent=true');
    expect(answer.extent).toEqual({
      south: Math.min(...jobs.map((job) => job.address.lat)),
      north: Math.max(...jobs.map((job) => job.address.lat)),
      west: Math.min(...jobs.map((job) => job.address.lon)),
      east: Math.max(...jobs.map((job) => job.address.lon)),
    });
    expect((await view(smallBox, 15)).extent).toBeNull();
  });

  it('refuses a box turned inside out, agents, and strangers', async () => {
    const inside = await server.api('/api/v1/dispatch/map-view?west=-87&south=41&east=-88&north=42&zoom=10', { token: dispatcher });
    expect(inside.status).toBe(400);
    expect(inside.headers.get('content-type')).toContain('application/problem+json');
    const agent = await server.login('agent1');
    expect((await server.api('/api/v1/dispatch/map-view?west=-88&south=41&east=-87&north=42&zoom=10', { token: agent.token })).status).toBe(403);
    expect((await server.api('/api/v1/dispatch/map-agents', { token: agent.token })).status).toBe(403);
    expect((await server.api('/api/v1/dispatch/map-view?west=-88&south=41&east=-87&north=42&zoom=10')).status).toBe(401);
    const agents = MapAgents.parse((await server.api('/api/v1/dispatch/map-agents', { token: dispatcher })).body).agents;
    expect(agents.some((entry) => entry.id === agent1)).toBe(true);
  });
});
