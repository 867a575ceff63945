import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSortKeys, openJobStatuses, type JobSortKey } from '../../shared/api/job-query';
import { BulkResult } from '../../shared/dispatch/dispatch-api';
import type { Job } from '../../shared/domain/job';
import { jobStatuses, type JobStatus } from '../../shared/domain/job-status';
import { importAccounts, officeApi } from './helpers/office-jobs';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/*
 * The office screens ask the server (issue 15): a page, an order, a filter and the counts must be
 * exactly what the whole organisation holds. A model of every job, read page by page, is the
 * yardstick each query is checked against, on SQLite and on PostgreSQL.
 */

const ACCOUNTS = 3_000;

let server: TestServer;
let api: ReturnType<typeof officeApi>;
let dispatcher: string;
const agents: Record<string, { id: string; displayName: string; token: string }> = {};
let everyJob: Job[] = [];

/** Jobs taken from another agent (`from`) are confirmed as the dispatcher saw them: Assigned to that agent. */
async function assign(jobIds: string[], agentId: string, from: string | null = null) {
  const seen = from === null ? [] : jobIds.map((jobId) => ({ jobId, agentId: from, status: 'assigned', confirmed: true }));
  const answer = await server.api('/api/v1/jobs/assignments', { token: dispatcher, json: { jobIds, agentId, seen } });
  expect(answer.status).toBe(200);
  return BulkResult.parse(answer.body);
}

beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  for (const name of ['agent1', 'agent2', 'agent3']) {
    const login = await server.login(name);
    agents[name] = { id: login.user.id, displayName: login.user.displayName, token: login.token };
  }
  api = officeApi(server, dispatcher);
  await importAccounts(server, dispatcher, 1, ACCOUNTS);
  const imported = (await api.all('status=unassigned&q=lc-&sort=account')).jobs;
  await assign(imported.slice(0, 500).map((job) => job.id), agents.agent1?.id ?? '');
  await assign(imported.slice(500, 800).map((job) => job.id), agents.agent2?.id ?? '');
  const held = await server.api('/api/v1/jobs/hold-or-cancel', { token: dispatcher, json: { jobIds: imported.slice(800, 900).map((job) => job.id), status: 'on_hold', reason: 'customer disputes the account' } });
  expect(held.status).toBe(200);
  // Work arriving for jobs taken from agent2 flags them for review, as the sync merge rules do.
  const moved = imported.slice(500, 505).map((job) => job.id);
  await assign(moved, agents.agent3?.id ?? '', agents.agent2?.id ?? null);
  const outbox = deviceOutbox('agent2-laptop');
  const pushed = await server.api('/api/v1/sync/push', { token: agents.agent2?.token ?? '', protocol: true, json: outbox.push(moved.map((id) => outbox.note(id, 'Left a card', agents.agent2?.id ?? ''))) });
  expect(pushed.status).toBe(200);
  everyJob = (await api.all('sort=due')).jobs;
}, 300_000);
afterAll(() => server.close());

const statusRank = new Map(jobStatuses.map((status, index) => [status, index]));
const priorityRank = new Map(['urgent', 'high', 'normal', 'low'].map((priority, index) => [priority, index]));
const sortDue = (job: Job) => job.dueDate ?? '9999-12-31';

/** The office table's orders, as the server promises them: the column, then due date, then id. */
function sortKeysOf(job: Job, sort: JobSortKey): (string | number)[] {
  const agent = Object.values(agents).find((candidate) => candidate.id === job.assignedAgentId);
  switch (sort) {
    case 'due':
      return [sortDue(job)];
    case 'customer':
      return [job.customer.name.toLowerCase()];
    case 'account':
      return [job.accountRef];
    case 'status':
      return [statusRank.get(job.status) ?? 99, sortDue(job)];
    case 'priority':
      return [priorityRank.get(job.priority) ?? 99, sortDue(job)];
    case 'updated':
      return [job.updatedAt];
    case 'client':
      return [job.clientName, job.clientId, sortDue(job)];
    case 'agent':
      return [agent ? 0 : 1, agent?.displayName ?? '', job.assignedAgentId ?? '', sortDue(job)];
  }
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function modelOrder(jobs: readonly Job[], sort: JobSortKey, dir: 'asc' | 'desc'): string[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...jobs]
    .sort((a, b) => sign * (compareKeys(sortKeysOf(a, sort), sortKeysOf(b, sort)) || compareKeys([a.id], [b.id])))
    .map((job) => job.id);
}

/** What the search box matches, as the server builds it: customer, address, account, serials, tags. */
function searchText(job: Job): string {
  return [job.customer.name, job.address.line1, job.address.line2 ?? '', job.address.city, job.address.postalCode, job.accountRef, ...job.items.flatMap((item) => [item.serial, item.assetTag ?? ''])]
    .join(' ')
    .toLowerCase();
}

const ids = (jobs: readonly Job[]) => jobs.map((job) => job.id).sort();

describe('paging', () => {
  it('reads every job exactly once, and the total is the organisation’s', async () => {
    expect(everyJob.length).toBeGreaterThan(ACCOUNTS);
    expect(new Set(everyJob.map((job) => job.id)).size).toBe(everyJob.length);
    const { total } = await api.list('limit=1');
    expect(total).toBe(everyJob.length);
    expect((await api.counts('')).total).toBe(everyJob.length);
    expect(everyJob.filter((job) => job.accountRef.startsWith('LC-'))).toHaveLength(ACCOUNTS);
  });
});

describe('sorting', () => {
  for (const sort of jobSortKeys) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`orders by ${sort} ${dir} across page boundaries`, async () => {
        const expected = modelOrder(everyJob, sort, dir);
        const first = await api.list(`sort=${sort}&dir=${dir}&limit=50`);
        expect(first.jobs.map((job) => job.id)).toEqual(expected.slice(0, 50));
        const middle = await api.list(`sort=${sort}&dir=${dir}&limit=50&offset=1234`);
        expect(middle.jobs.map((job) => job.id)).toEqual(expected.slice(1234, 1284));
        const last = await api.list(`sort=${sort}&dir=${dir}&limit=50&offset=${everyJob.length - 7}`);
        expect(last.jobs.map((job) => job.id)).toEqual(expected.slice(-7));
      });
    }
  }
});

describe('filters', () => {
  const cases: [string, () => string, (job: Job) => boolean][] = [
    ['one status', () => 'status=assigned', (job) => job.status === 'assigned'],
    ['several statuses', () => `status=${openJobStatuses.join(',')}`, (job) => openJobStatuses.includes(job.status)],
    ['an agent', () => `assignedAgentId=${agents.agent1?.id}`, (job) => job.assignedAgentId === agents.agent1?.id],
    ['no agent', () => 'assignedAgentId=none', (job) => job.assignedAgentId === null],
    ['a client', () => `clientId=${everyJob.find((job) => job.clientName === 'Prairie Leasing')?.clientId}`, (job) => job.clientName === 'Prairie Leasing'],
    ['a priority', () => 'priority=urgent', (job) => job.priority === 'urgent'],
    ['due from', () => 'dueFrom=2026-11-20', (job) => job.dueDate !== null && job.dueDate >= '2026-11-20'],
    ['due to', () => 'dueTo=2026-11-05', (job) => job.dueDate !== null && job.dueDate <= '2026-11-05'],
    ['a due window', () => 'dueFrom=2026-11-10&dueTo=2026-11-12', (job) => job.dueDate !== null && job.dueDate >= '2026-11-10' && job.dueDate <= '2026-11-12'],
    ['no due date', () => 'dueNone=true', (job) => job.dueDate === null],
    ['flagged for review', () => 'flagged=true', (job) => job.reviewReason !== null],
    ['an account', () => 'q=LC-001234', (job) => searchText(job).includes('lc-001234')],
    ['part of a serial', () => 'q=0000251', (job) => searchText(job).includes('0000251')],
    ['words in any order', () => 'q=state%20customer%2029', (job) => ['state', 'customer', '29'].every((word) => searchText(job).includes(word))],
    ['a short word', () => 'q=9', (job) => searchText(job).includes('9')],
    ['a wildcard character taken literally', () => 'q=n%25s', (job) => searchText(job).includes('n%s')],
    [
      'everything at once',
      () => `clientId=${everyJob.find((job) => job.clientName === 'Lakeshore Cable')?.clientId}&priority=high&status=assigned,unassigned&dueFrom=2026-11-03&q=customer`,
      (job) => job.clientName === 'Lakeshore Cable' && job.priority === 'high' && ['assigned', 'unassigned'].includes(job.status) && job.dueDate !== null && job.dueDate >= '2026-11-03' && searchText(job).includes('customer'),
    ],
  ];
  for (const [name, query, matches] of cases) {
    it(`by ${name}: lists and counts exactly the matching jobs`, async () => {
      const expected = everyJob.filter(matches);
      const found = await api.all(`${query()}&sort=customer`);
      expect(ids(found.jobs)).toEqual(ids(expected));
      expect(found.total).toBe(expected.length);
      expect((await api.counts(query())).total).toBe(expected.length);
    });
  }

  it('has cases that match some jobs but not all', () => {
    for (const [, , matches] of cases.filter(([name]) => name !== 'a wildcard character taken literally')) {
      const n = everyJob.filter(matches).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(everyJob.length);
    }
  });
});

describe('counts', () => {
  it('gives each status’s total, overdue and flagged jobs from the database, exactly', async () => {
    const today = '2026-11-15';
    const client = everyJob.find((job) => job.clientName === 'Metro Medical')?.clientId ?? '';
    const counts = await api.counts(`clientId=${client}&status=assigned&today=${today}`);
    const ofClient = everyJob.filter((job) => job.clientId === client);
    for (const status of jobStatuses) {
      const inStatus = ofClient.filter((job) => job.status === status);
      expect(counts.byStatus[status], status).toBe(inStatus.length);
      const overdue = inStatus.filter((job) => job.dueDate !== null && job.dueDate < today && openJobStatuses.includes(job.status));
      expect(counts.overdueByStatus[status], `${status} overdue`).toBe(overdue.length);
    }
    expect(counts.total).toBe(ofClient.filter((job) => job.status === 'assigned').length);
    expect(counts.flagged).toBe(ofClient.filter((job) => job.status === 'assigned' && job.reviewReason !== null).length);
    expect(counts.overdueByStatus.assigned).toBeGreaterThan(0);
  });

  it('follow every change at once: an assignment moves one job between columns', async () => {
    const before = await api.counts('');
    const job = (await api.list('status=unassigned&limit=1')).jobs[0];
    if (!job) throw new Error('no unassigned job left');
    await assign([job.id], agents.agent3?.id ?? '');
    const after = await api.counts('');
    const moved: Partial<Record<JobStatus, number>> = { unassigned: -1, assigned: 1 };
    for (const status of jobStatuses) expect(after.byStatus[status] - before.byStatus[status], status).toBe(moved[status] ?? 0);
    expect(after.total).toBe(before.total);
  });

  it('lists every client with its number of jobs', async () => {
    const clients = await api.clients();
    for (const name of ['Lakeshore Cable', 'Prairie Leasing', 'Metro Medical']) {
      const client = clients.find((candidate) => candidate.name === name);
      expect(client?.jobs, name).toBe(everyJob.filter((job) => job.clientName === name).length);
    }
    expect(clients.map((client) => client.name)).toEqual([...clients.map((client) => client.name)].sort());
  });
});

describe('search follows edits', () => {
  it('finds a job by its new customer name and no longer by the old one', async () => {
    const [job] = (await api.list('q=LC-002222')).jobs;
    if (!job) throw new Error('LC-002222 was not imported');
    const patched = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: dispatcher, json: { customer: { ...job.customer, name: 'Zebulon Quartermaine' }, expectedVersion: job.version } });
    expect(patched.status).toBe(200);
    expect((await api.list('q=quartermaine')).jobs.map((found) => found.id)).toEqual([job.id]);
    expect((await api.list(`q=${encodeURIComponent(job.customer.name)}%20lc-002222`)).total).toBe(0);
    expect((await api.list('sort=customer&dir=desc&limit=1')).jobs[0]?.id).toBe(job.id);
  });
});

it('refuses a filter it cannot apply with a problem that names the parameter', async () => {
  for (const query of ['status=lost', 'sort=colour', 'assignedAgentId=nobody', 'dueFrom=12/01/2026', 'flagged=yes', 'dir=up']) {
    const answer = await server.api(`/api/v1/jobs?${query}`, { token: dispatcher });
    expect(answer.status, query).toBe(400);
    expect(JSON.stringify(answer.body), query).toContain(query.split('=')[0] ?? '');
  }
});
