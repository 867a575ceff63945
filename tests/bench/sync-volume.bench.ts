/**
 * Sync at volume, client and server together: the app's own sync engine on fake-indexeddb
 * against the real server over real HTTP (in-process), once on a fresh SQLite file and once on a
 * fresh PostgreSQL database (RECLAIM_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * when it does not answer, the PostgreSQL half says so and why). DATABASE_URL=postgres://… measures
 * that (empty) database instead of a fresh one.
 *   - first pull of 2,000 jobs with 10,000 items onto an empty laptop (time, pages);
 *   - 1,000 mutations written offline, then pushed;
 *   - the server alone applying pushes (mutations per second);
 *   - 200 agents syncing at once (push a few changes, pull to the end): p50/p95 round latency.
 * Writes tests/bench/results/sync-volume.json and sync-volume-postgres.json; asserts nothing about time.
 */
import 'fake-indexeddb/auto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoginResponse } from '../../shared/api/auth';
import { JobList } from '../../shared/api/jobs';
import { ImportReport } from '../../shared/dispatch/dispatch-api';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { JobsRepository } from '../../renderer/db/jobs-repository';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { createApiClient } from '../../renderer/sync/api-client';
import { SyncEngine } from '../../renderer/sync/engine';
import { startServer } from '../../server/main';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { createTestDatabase, dropTestDatabase, postgresUnavailableReason } from '../integration/helpers/test-database';

const firstPullJobs = 2000;
const itemsPerJob = 5;
const offlineMutations = 1000;
const serverPushBatches = 25;
const fleetAgents = 200;
const fleetJobsPerAgent = 2;
const fleetNotesPerRound = 5;

interface Http {
  url: string;
  token?: string;
}

async function call<T>(http: Http, path: string, init: { method?: string; json?: unknown; csv?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.csv !== undefined) headers['content-type'] = 'text/csv';
  const response = await fetch(`${http.url}${path}`, {
    method: init.method ?? (init.json === undefined && init.csv === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.csv,
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function login(url: string, username: string, password = 'demo1234'): Promise<LoginResponse> {
  return LoginResponse.parse(await call({ url }, '/api/v1/auth/login', { json: { username, password, deviceId: `bench-${username}` } }));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function importJobs(office: Http, prefix: string, jobs: number, items: number): Promise<string[]> {
  const rows = [];
  for (let n = 1; n <= jobs; n += 1) {
    for (let item = 0; item < items; item += 1) {
      rows.push(accountRow(n, { client: `${prefix} Leasing`, account_ref: `${prefix}-${n}`, item_serial: `${prefix}${n}X${item}` }));
    }
  }
  const report = ImportReport.parse(await call(office, '/api/v1/jobs/import', { csv: accountsCsv(rows) }));
  if (report.counts.rows !== rows.length) throw new Error(`import of ${prefix}: ${JSON.stringify(report.counts)}`);
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = JobList.parse(await call(office, `/api/v1/jobs?limit=1000&offset=${offset}`));
    ids.push(...page.jobs.filter((job) => job.accountRef.startsWith(`${prefix}-`)).map((job) => job.id));
    if (page.jobs.length < 1000) break;
  }
  return ids;
}

async function assign(office: Http, jobIds: readonly string[], agentId: string): Promise<void> {
  for (let start = 0; start < jobIds.length; start += 5000) {
    await call(office, '/api/v1/jobs/assignments', { json: { jobIds: jobIds.slice(start, start + 5000), agentId } });
  }
}

async function createAgent(admin: Http, username: string): Promise<string> {
  const user = await call<{ id: string }>(admin, '/api/v1/admin/users', { json: { username, displayName: username, role: 'agent', password: 'bench-password-1234' } });
  return user.id;
}

function noteMutation(clock: HybridLogicalClock, deviceId: string, jobId: string, byUserId: string, text: string) {
  const at = new Date().toISOString();
  return { id: newId(), deviceId, clientTime: at, hlc: clock.now(), entity: 'jobNote', op: 'create', data: { id: newId(), jobId, text, at, byUserId } };
}

/** The whole bench on one store: undefined is SQLite in a fresh data folder, else that PostgreSQL database. */
async function measure(databaseUrl: string | undefined): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-bench-sync-'));
  // 200 agents signing in from one address at once is this bench, not an attack.
  const generous = { freeFailures: 1_000_000, baseLockMs: 1, maxLockMs: 1 };
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, databaseUrl, demo: true, logger: false, loginThrottle: { account: generous, address: generous, forgetAfterMs: 1 } });
  const figures: Record<string, unknown> = {};
  const print = (line: string) => console.log(`[${server.store}] ${line}`);
  try {
    const office: Http = { url: server.url, token: (await login(server.url, 'dispatcher1')).token };
    const admin: Http = { url: server.url, token: (await login(server.url, 'admin')).token };

    // Setup (not measured): one agent with 2,000 jobs, 200 agents with a few jobs each.
    let started = performance.now();
    const benchAgentId = await createAgent(admin, 'bench-agent');
    const bigJobs = await importJobs(office, 'BIG', firstPullJobs, itemsPerJob);
    await assign(office, bigJobs, benchAgentId);
    const fleetJobs = await importJobs(office, 'FLEET', fleetAgents * fleetJobsPerAgent, 1);
    const fleet = await Promise.all(
      Array.from({ length: fleetAgents }, async (_, index) => {
        const username = `fleet-${index}`;
        const id = await createAgent(admin, username);
        return { username, id, jobs: fleetJobs.slice(index * fleetJobsPerAgent, (index + 1) * fleetJobsPerAgent) };
      }),
    );
    for (const agent of fleet) await assign(office, agent.jobs, agent.id);
    print(`setup: ${bigJobs.length} jobs × ${itemsPerJob} items for one agent, ${fleet.length} agents × ${fleetJobsPerAgent} jobs (${Math.round(performance.now() - started)} ms, not measured)`);

    // First pull onto an empty laptop, through the app's engine and IndexedDB.
    const benchLogin = await call<LoginResponse>({ url: server.url }, '/api/v1/auth/login', { json: { username: 'bench-agent', password: 'bench-password-1234', deviceId: 'bench-laptop' } });
    const db = new ReclaimDatabase(`bench-${newId()}`);
    await saveStoredSession(db, { user: benchLogin.user, expiresAt: benchLogin.expiresAt, serverUrl: server.url });
    let pages = 0;
    const api = createApiClient({ baseUrl: server.url, getToken: async () => benchLogin.token, timeoutMs: 120_000 });
    const engine = new SyncEngine({
      db,
      api: { ...api, push: (request) => api.push(request), pull: (cursor, limit) => ((pages += 1), api.pull(cursor, limit)) },
    });
    started = performance.now();
    const first = await engine.syncOnce();
    const firstPullMs = performance.now() - started;
    const localJobs = await db.jobs.count();
    const localItems = (await db.jobs.toArray()).reduce((sum, job) => sum + job.items.length, 0);
    figures.firstPull = { jobs: localJobs, items: localItems, changes: first.pulled, pages, pageLimit: 200, ms: Math.round(firstPullMs), jobsPerSecond: Math.round((localJobs / firstPullMs) * 1000) };
    print(`first pull: ${localJobs} jobs / ${localItems} items, ${first.pulled} changes in ${pages} pages: ${Math.round(firstPullMs)} ms`);

    // Raw HTTP for the same pull, to split server time from IndexedDB time.
    started = performance.now();
    let cursor = '0';
    let rawPages = 0;
    for (;;) {
      const page = PullResponse.parse(await call({ url: server.url, token: benchLogin.token }, `/api/v1/sync/pull?cursor=${cursor}&limit=1000`));
      rawPages += 1;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    figures.firstPullHttpOnly = { pages: rawPages, pageLimit: 1000, ms: Math.round(performance.now() - started) };
    print(`first pull, HTTP only (limit 1000): ${rawPages} pages: ${Math.round(performance.now() - started)} ms`);

    // 1,000 changes written offline, then one push (batches of 100) through the engine.
    const repository = new JobsRepository(db);
    const jobIds = (await db.jobs.toArray()).map((job) => job.id);
    started = performance.now();
    for (let n = 0; n < offlineMutations; n += 1) await repository.addJobNote(jobIds[n % jobIds.length] as string, `bench note ${n}`);
    const writeMs = performance.now() - started;
    started = performance.now();
    const pushed = await engine.syncOnce();
    const pushMs = performance.now() - started;
    figures.push = { mutations: offlineMutations, applied: pushed.applied, localWritesMs: Math.round(writeMs), syncMs: Math.round(pushMs), mutationsPerSecond: Math.round((offlineMutations / pushMs) * 1000) };
    print(`push: ${offlineMutations} offline writes ${Math.round(writeMs)} ms; sync (push + pull back) ${Math.round(pushMs)} ms, ${pushed.applied} applied`);

    // The server alone: batches of 200 notes straight over HTTP.
    const clock = new HybridLogicalClock('benchserver');
    const batches = Array.from({ length: serverPushBatches }, (_, batch) =>
      Array.from({ length: 200 }, (__, n) => noteMutation(clock, 'bench-laptop', bigJobs[(batch * 200 + n) % bigJobs.length] as string, benchAgentId, `server bench ${batch}/${n}`)),
    );
    started = performance.now();
    for (const mutations of batches) {
      const answer = PushResponse.parse(await call({ url: server.url, token: benchLogin.token }, '/api/v1/sync/push', { json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'bench-laptop', mutations } }));
      if (answer.results.some((result) => result.outcome !== 'applied')) throw new Error('a bench mutation was not applied');
    }
    const serverMs = performance.now() - started;
    const serverMutations = serverPushBatches * 200;
    figures.serverPush = { mutations: serverMutations, batchSize: 200, ms: Math.round(serverMs), mutationsPerSecond: Math.round((serverMutations / serverMs) * 1000) };
    print(`server push: ${serverMutations} mutations in batches of 200: ${Math.round(serverMs)} ms, ${Math.round((serverMutations / serverMs) * 1000)} mutations/s`);

    // 200 agents at once: each has synced before; now pushes a few notes and pulls to the end.
    const sessions = await Promise.all(
      fleet.map(async (agent) => {
        const session = await call<LoginResponse>({ url: server.url }, '/api/v1/auth/login', { json: { username: agent.username, password: 'bench-password-1234', deviceId: `bench-${agent.username}` } });
        const http = { url: server.url, token: session.token };
        let agentCursor = '0';
        for (;;) {
          const page = PullResponse.parse(await call(http, `/api/v1/sync/pull?cursor=${agentCursor}&limit=200`));
          agentCursor = page.cursor;
          if (!page.hasMore) break;
        }
        return { ...agent, http, cursor: agentCursor, clock: new HybridLogicalClock(agent.username.replace(/[^A-Za-z0-9_-]/g, '')) };
      }),
    );
    const latencies: number[] = [];
    started = performance.now();
    await Promise.all(
      sessions.map(async (agent) => {
        const begun = performance.now();
        const mutations = Array.from({ length: fleetNotesPerRound }, (_, n) => noteMutation(agent.clock, `bench-${agent.username}`, agent.jobs[n % agent.jobs.length] as string, agent.id, `fleet note ${n}`));
        await call(agent.http, '/api/v1/sync/push', { json: { protocolVersion: PROTOCOL_VERSION, deviceId: `bench-${agent.username}`, mutations } });
        let agentCursor = agent.cursor;
        for (;;) {
          const page = PullResponse.parse(await call(agent.http, `/api/v1/sync/pull?cursor=${agentCursor}&limit=200`));
          agentCursor = page.cursor;
          if (!page.hasMore) break;
        }
        latencies.push(performance.now() - begun);
      }),
    );
    const wallMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    figures.concurrentAgents = {
      agents: fleetAgents,
      mutationsPerAgent: fleetNotesPerRound,
      p50Ms: Math.round(percentile(latencies, 50)),
      p95Ms: Math.round(percentile(latencies, 95)),
      maxMs: Math.round(latencies.at(-1) ?? 0),
      wallMs: Math.round(wallMs),
    };
    print(`${fleetAgents} agents syncing at once (push ${fleetNotesPerRound} + pull): p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms, all done in ${Math.round(wallMs)} ms`);
    db.close();
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  mkdirSync('tests/bench/results', { recursive: true });
  const resultFile = `tests/bench/results/sync-volume${server.store === 'postgres' ? '-postgres' : ''}.json`;
  writeFileSync(resultFile, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, store: server.store, figures }, null, 2)}\n`);
  print(`Wrote ${resultFile}`);
}

async function main(): Promise<void> {
  if (process.env.DATABASE_URL) {
    await measure(process.env.DATABASE_URL);
    return;
  }
  await measure(undefined);
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    console.log(`[postgres] SKIPPED: the sync figures on PostgreSQL were not measured. ${unavailable}`);
    return;
  }
  const databaseUrl = await createTestDatabase();
  try {
    await measure(databaseUrl);
  } finally {
    await dropTestDatabase(databaseUrl);
  }
}

void main();
