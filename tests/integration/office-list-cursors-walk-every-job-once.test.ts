import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Store } from '../../server/store/database';
import { jobSortKeys, openJobStatuses, type JobCounts, type JobSortKey } from '../../shared/api/job-query';
import { JobList } from '../../shared/api/jobs';
import { Problem } from '../../shared/api/problem';
import { BulkResult } from '../../shared/dispatch/dispatch-api';
import { JobStatus, jobStatuses } from '../../shared/domain/job-status';
import { importAccounts, officeApi } from './helpers/office-jobs';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/*
 * Keyset pages (issue 15): the office table's next and previous pages follow a cursor, not an
 * offset, so a page deep in 100,000 jobs costs what the first does. Walking every page under
 * every order must give each job once and in the order offsets give; jobs imported during the
 * walk must not make any other job repeat or go missing. The counts the board shows are checked
 * against COUNT(*) run on the database itself, after writes made through the API.
 */

const ACCOUNTS = 500;
const PAGE = 37;

let server: TestServer;
let store: Store;
let api: ReturnType<typeof officeApi>;
let dispatcher: string;
const agents: Record<string, { id: string; token: string }> = {};
let nextAccount = ACCOUNTS + 1;

async function post(path: string, json: unknown) {
  const answer = await server.api(path, { token: dispatcher, json });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function importMore(n: number): Promise<void> {
  await importAccounts(server, dispatcher, nextAccount, nextAccount + n - 1);
  nextAccount += n;
}

beforeAll(async () => {
  server = await startTestServer();
  dispatcher = (await server.login('dispatcher1')).token;
  for (const name of ['agent1', 'agent2', 'agent3']) {
    const login = await server.login(name);
    agents[name] = { id: login.user.id, token: login.token };
  }
  api = officeApi(server, dispatcher);
  await importMore(ACCOUNTS);
  const imported = (await api.all('sort=account')).jobs;
  BulkResult.parse(await post('/api/v1/jobs/assignments', { jobIds: imported.slice(0, 150).map((job) => job.id), agentId: agents.agent1?.id }));
  BulkResult.parse(await post('/api/v1/jobs/assignments', { jobIds: imported.slice(150, 230).map((job) => job.id), agentId: agents.agent2?.id }));
  store = server.store === 'sqlite' ? await createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') }) : await createDatabase({ kind: 'postgres', url: server.databaseUrl ?? '' });
}, 300_000);
afterAll(async () => {
  await store?.close();
  await server?.close();
});

async function page(query: string): Promise<JobList> {
  return api.list(query);
}

/** Every page from the first by nextCursor: the ids in the order the pages gave them. */
async function walkForward(sort: JobSortKey, dir: string, between?: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let answer = await page(`sort=${sort}&dir=${dir}&limit=${PAGE}`);
  expect(answer.previousCursor).toBeNull();
  for (let pages = 0; ; pages += 1) {
    expect(pages).toBeLessThan(1000);
    seen.push(...answer.jobs.map((job) => job.id));
    if (answer.nextCursor === null) return seen;
    expect(answer.jobs).toHaveLength(PAGE);
    if (between) await between();
    answer = await page(`sort=${sort}&dir=${dir}&limit=${PAGE}&after=${answer.nextCursor}`);
  }
}

/** Every page from the last ("before=end") by previousCursor, put back in reading order. */
async function walkBackward(sort: JobSortKey, dir: string): Promise<string[]> {
  const pages: string[][] = [];
  let answer = await page(`sort=${sort}&dir=${dir}&limit=${PAGE}&before=end`);
  expect(answer.nextCursor).toBeNull();
  for (let n = 0; ; n += 1) {
    expect(n).toBeLessThan(1000);
    pages.unshift(answer.jobs.map((job) => job.id));
    if (answer.previousCursor === null) return pages.flat();
    answer = await page(`sort=${sort}&dir=${dir}&limit=${PAGE}&before=${answer.previousCursor}`);
  }
}

describe('cursor pages', () => {
  for (const sort of jobSortKeys) {
    for (const dir of ['asc', 'desc'] as const) {
      it(`walk every job once by ${sort} ${dir}, forward and back, in the order offsets give`, async () => {
        const byOffset = (await api.all(`sort=${sort}&dir=${dir}`)).jobs.map((job) => job.id);
        expect(byOffset.length).toBeGreaterThanOrEqual(ACCOUNTS);
        const forward = await walkForward(sort, dir);
        expect(forward).toEqual(byOffset);
        expect(await walkBackward(sort, dir)).toEqual(byOffset);
      });
    }
  }

  it('a next page then its previous page is the page again', async () => {
    const first = await page(`sort=customer&limit=${PAGE}`);
    const second = await page(`sort=customer&limit=${PAGE}&after=${first.nextCursor}`);
    const back = await page(`sort=customer&limit=${PAGE}&before=${second.previousCursor}`);
    expect(back.jobs.map((job) => job.id)).toEqual(first.jobs.map((job) => job.id));
    expect(back.previousCursor).toBeNull();
  });

  it('an offset page hands on cursors, so the page-number jump and next/previous mix', async () => {
    const all = (await api.all('sort=due')).jobs.map((job) => job.id);
    const third = await page(`sort=due&limit=${PAGE}&offset=${PAGE * 2}`);
    const fourth = await page(`sort=due&limit=${PAGE}&after=${third.nextCursor}`);
    expect(fourth.jobs.map((job) => job.id)).toEqual(all.slice(PAGE * 3, PAGE * 4));
    const second = await page(`sort=due&limit=${PAGE}&before=${third.previousCursor}`);
    expect(second.jobs.map((job) => job.id)).toEqual(all.slice(PAGE, PAGE * 2));
  });

  for (const sort of jobSortKeys.filter((key) => key !== 'updated')) {
    it(`by ${sort}: jobs imported during the walk make no other job repeat or go missing`, async () => {
      const before = new Set((await api.all(`sort=${sort}`)).jobs.map((job) => job.id));
      const seen = await walkForward(sort, 'asc', () => importMore(3));
      expect(new Set(seen).size).toBe(seen.length);
      const missing = [...before].filter((id) => !seen.includes(id));
      expect(missing).toEqual([]);
    });
  }
});

describe('a cursor that is not one', () => {
  async function expectBadRequest(query: string) {
    const answer = await server.api(`/api/v1/jobs?${query}`, { token: dispatcher });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(Problem.parse(answer.body).code).toBe('validation');
  }
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('is a 400 problem, never a wrong page', async () => {
    const { nextCursor } = await page(`sort=due&limit=${PAGE}`);
    await expectBadRequest('after=not-a-cursor!');
    await expectBadRequest('after=bm90IGpzb24');
    await expectBadRequest(`after=${encode({ sort: 'due', dir: 'asc', keys: ["'; drop table jobs; --"], id: 'x' })}`);
    await expectBadRequest(`after=${encode({ sort: 'status', dir: 'asc', keys: ['2026-11-01'], id: '0190a0a0-0000-7000-8000-000000000000' })}`);
    // A real cursor asked of another order, or beside an offset, or with before too.
    await expectBadRequest(`sort=customer&after=${nextCursor}`);
    await expectBadRequest(`sort=due&dir=desc&after=${nextCursor}`);
    await expectBadRequest(`sort=due&offset=10&after=${nextCursor}`);
    await expectBadRequest(`sort=due&after=${nextCursor}&before=end`);
    expect((await server.api(`/api/v1/jobs?sort=due&after=${nextCursor}`, { token: dispatcher })).status).toBe(200);
  });
});

describe('counts', () => {
  /** The same questions as COUNT(*) on the database itself, written without the server's filter code. */
  async function countedByTheDatabase(where: { clientId?: string; agentId?: string; priority?: string }, today: string) {
    let jobs = store.db.selectFrom('jobs');
    if (where.clientId) jobs = jobs.where('client_id', '=', where.clientId);
    if (where.agentId) jobs = jobs.where('assigned_agent_id', '=', where.agentId);
    if (where.priority) jobs = jobs.where('priority', '=', where.priority);
    const byStatus = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>;
    const overdueByStatus = { ...byStatus };
    for (const row of await jobs.select(['status', sql<number>`count(*)`.as('n')]).groupBy('status').execute()) byStatus[JobStatus.parse(row.status)] = Number(row.n);
    const overdue = await jobs.select(['status', sql<number>`count(*)`.as('n')]).where('status', 'in', openJobStatuses).where('due_date', '<', today).groupBy('status').execute();
    for (const row of overdue) overdueByStatus[JobStatus.parse(row.status)] = Number(row.n);
    const flagged = await jobs.select(sql<number>`count(*)`.as('n')).where('review_reason', 'is not', null).executeTakeFirstOrThrow();
    const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return { total, byStatus, overdueByStatus, flagged: Number(flagged.n) } satisfies JobCounts;
  }

  it('stay exact through imports, assignments, holds, status changes, field work and review', async () => {
    const today = '2026-11-15';
    const jobs = (await api.all('sort=account')).jobs;
    const clientId = jobs[0]?.clientId ?? '';
    const check = async () => {
      for (const where of [{}, { clientId }, { agentId: agents.agent1?.id }, { agentId: agents.agent3?.id }, { priority: 'urgent' }, { clientId, priority: 'high' }]) {
        const params = new URLSearchParams({ today });
        if ('clientId' in where && where.clientId) params.set('clientId', where.clientId);
        if ('agentId' in where && where.agentId) params.set('assignedAgentId', where.agentId);
        if ('priority' in where && where.priority) params.set('priority', where.priority);
        expect(await api.counts(params.toString()), JSON.stringify(where)).toEqual(await countedByTheDatabase(where, today));
      }
    };
    await check();
    await importMore(40);
    BulkResult.parse(await post('/api/v1/jobs/assignments', { jobIds: jobs.slice(300, 340).map((job) => job.id), agentId: agents.agent3?.id }));
    await post('/api/v1/jobs/hold-or-cancel', { jobIds: jobs.slice(340, 350).map((job) => job.id), status: 'on_hold', reason: 'customer disputes the account' });
    await post('/api/v1/jobs/hold-or-cancel', { jobIds: jobs.slice(350, 355).map((job) => job.id), status: 'cancelled', reason: 'paid in full' });
    await check();
    // The field: agent1's laptop sends work on jobs moved to agent3, which flags them.
    const moved = jobs.slice(0, 4).map((job) => job.id);
    // Taken from agent1, so the dispatcher confirms them as listed (Assigned to agent1).
    const seen = jobs.slice(0, 4).map((job) => ({ jobId: job.id, agentId: job.assignedAgentId, status: job.status, confirmed: true }));
    BulkResult.parse(await post('/api/v1/jobs/assignments', { jobIds: moved, agentId: agents.agent3?.id, seen }));
    const outbox = deviceOutbox('agent1-laptop');
    const pushed = await server.api('/api/v1/sync/push', { token: agents.agent1?.token ?? '', protocol: true, json: outbox.push(moved.map((id) => outbox.note(id, 'Left a card', agents.agent1?.id ?? ''))) });
    expect(pushed.status).toBe(200);
    for (const [job, change] of [
      [jobs[300], { priority: 'urgent', dueDate: '2026-11-01' }],
      [jobs[301], { assignedAgentId: null }],
      [jobs[302], { dueDate: null }],
    ] as const) {
      const patched = await server.api(`/api/v1/jobs/${job?.id}`, { method: 'PATCH', token: dispatcher, json: change });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    }
    await check();
    expect((await api.counts(`today=${today}`)).flagged).toBeGreaterThan(0);
    const cleared = await server.api(`/api/v1/review-inbox/${moved[0]}/clear`, { token: dispatcher, json: { note: 'spoke to agent1' } });
    expect(cleared.status).toBe(200);
    await check();
  });
});
