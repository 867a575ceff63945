/**
 * Server load, side by side in one run: SQLite (one instance), PostgreSQL with one instance, and
 * PostgreSQL with two instances on one database (RECLAIM_TEST_POSTGRES_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; each gets a fresh database, dropped afterwards;
 * when PostgreSQL does not answer, its rows say SKIPPED and why). Over real HTTP; each server
 * instance is a process of its own (tests/bench/bench-server-process.ts), as in production, and
 * the laptops are simulated by this process.
 *   - push throughput: CLIENTS clients each pushing BATCHES batches of 50 notes back to back,
 *     spread over the instances, after WARMUP_BATCHES each that are not measured: mutations/s,
 *     in THROUGHPUT_BURSTS bursts that take turns between the stores (every store's servers run
 *     side by side, idle but for their turn); PostgreSQL's ratio to SQLite is the median of the
 *     burst pairs' ratios;
 *   - the field's load: LAPTOPS laptops each syncing every 5 s (push 10 notes, then pull to the
 *     end) for FLEET_SECONDS: p50/p95/p99 of push and of pull (every page request) latency, and
 *     the pushes per second answered against those asked;
 *   - bulk assignment of 5,000 jobs in one request;
 *   - capacity: the field's load again with more and more laptops (CAPACITY_STEPS, default
 *     100,200,400,800; CAPACITY_SECONDS each, default 20) until push or pull p95 passes 200 ms or
 *     fewer than 95 % of the pushes asked are answered: the largest fleet that held is the store's
 *     capacity on this machine (CAPACITY_STEPS= empty skips it).
 * Prints the PostgreSQL/SQLite ratios and writes tests/bench/results/server-load.json; asserts nothing.
 * Run: npx tsx tests/bench/server-load.bench.ts (env LAPTOPS, FLEET_SECONDS, CLIENTS, BATCHES, BULK_JOBS).
 * PARTS (default throughput,fleet,bulk,capacity) and STORES (default sqlite,postgres1,postgres2)
 * pick what to measure, e.g. the bulk assignment alone on every store: PARTS=bulk.
 * ROUNDS repeats the measurement and prints medians; BASELINE=/path/to/another/checkout measures
 * that checkout's server beside this one's in every round (first in odd rounds, second in even
 * ones) and prints this / baseline, e.g.
 *   BASELINE=../reclaim-previous ROUNDS=3 STORES=sqlite,postgres2 PARTS=throughput CAPACITY_STEPS= npx tsx tests/bench/server-load.bench.ts
 * BENCH_CPU_PROF=<dir> has every server process write a V8 CPU profile there when it stops (one
 * .cpuprofile per process; open it in Chrome's DevTools). The profiler slows the servers down,
 * so the figures of such a run are not comparable with others.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobList } from '../../shared/api/jobs';
import { BulkResult, ImportReport } from '../../shared/dispatch/dispatch-api';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, PullResponse, PushResponse } from '../../shared/sync/protocol';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { createTestDatabase, dropTestDatabase, postgresUnavailableReason } from '../integration/helpers/test-database';
import { call, login, type Http } from './bench-http';
import { median } from './bench-stats';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const laptops = setting('LAPTOPS', 200);
const fleetSeconds = setting('FLEET_SECONDS', 30);
const clients = setting('CLIENTS', 4);
/**
 * Throughput is a steady state: 40 batches a client after 3 of warm-up measured about 1.5 s of
 * freshly started server processes, mostly V8 still compiling the push path (two instances
 * compile it twice) and, on PostgreSQL, the first ANALYZEs of tables that had just begun to grow.
 * BATCHES is per client and burst; THROUGHPUT_BURSTS bursts take turns between the stores (see round()).
 */
const batchesPerClient = setting('BATCHES', 100);
const throughputBursts = setting('THROUGHPUT_BURSTS', 5);
/** Batches each client pushes first, unmeasured: a server process just started runs its push path cold. */
const warmupBatches = setting('WARMUP_BATCHES', 20);
const bulkJobs = setting('BULK_JOBS', 5000);
/** Agent accounts; the laptops share them (each signs in once), so setup is not 200 password hashes. */
const agentAccounts = Math.min(20, laptops);
const syncEveryMs = 5000;
const notesPerPush = 10;
const notesPerBatch = 50;
const capacitySteps = (process.env.CAPACITY_STEPS ?? '100,200,400,800').split(',').filter(Boolean).map(Number);
const capacitySeconds = setting('CAPACITY_SECONDS', 20);
const p95Target = 200;
const listSetting = (name: string, all: readonly string[]) => {
  const picked = (process.env[name] ?? all.join(',')).split(',').filter(Boolean);
  const unknown = picked.filter((part) => !all.includes(part));
  if (unknown.length > 0) throw new Error(`${name}: ${unknown.join(', ')} is not one of ${all.join(', ')}`);
  return new Set(picked);
};
const parts = listSetting('PARTS', ['throughput', 'fleet', 'bulk', 'capacity']);
const stores = listSetting('STORES', ['sqlite', 'postgres1', 'postgres2']);
/** Rounds of the whole measurement; with more than one, the medians are printed too. */
const roundCount = setting('ROUNDS', 1);
/**
 * Another checkout of Reclaim (with its node_modules) whose server is measured too, in the same
 * run: each round measures both, so a change is compared with the commit before it on the same
 * machine at the same moment (BASELINE=/path/to/checkout). The order alternates from round to
 * round: with the baseline always first, one change measured 1.24× (1.21, 1.24, 1.31), and
 * minutes later, with the two checkouts' roles swapped, 1.03×.
 */
const baselineDir = process.env.BASELINE;

function percentile(sorted: readonly number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

function spread(values: number[]): { p50: number; p95: number; p99: number; count: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), count: sorted.length };
}

interface Laptop {
  readonly agentId: string;
  readonly deviceId: string;
  readonly jobs: readonly string[];
  readonly http: Http;
  readonly clock: HybridLogicalClock;
  cursor: string;
}

function notes(laptop: Laptop, count: number, label: string) {
  return Array.from({ length: count }, (_, n) => {
    const at = new Date().toISOString();
    return { id: newId(), deviceId: laptop.deviceId, clientTime: at, hlc: laptop.clock.now(), entity: 'jobNote', op: 'create', data: { id: newId(), jobId: laptop.jobs[n % laptop.jobs.length], text: `${label} ${n}`, at, byUserId: laptop.agentId } };
  });
}

async function push(laptop: Laptop, mutations: unknown[]): Promise<void> {
  const answer = PushResponse.parse(await call(laptop.http, '/api/v1/sync/push', { json: { protocolVersion: PROTOCOL_VERSION, deviceId: laptop.deviceId, mutations } }));
  if (answer.results.some((result) => result.outcome !== 'applied')) throw new Error(`a bench note was not applied: ${JSON.stringify(answer.results.find((result) => result.outcome !== 'applied'))}`);
}

async function pullToEnd(laptop: Laptop, latencies?: number[]): Promise<void> {
  for (;;) {
    const begun = performance.now();
    const page = PullResponse.parse(await call(laptop.http, `/api/v1/sync/pull?cursor=${laptop.cursor}&limit=200`));
    latencies?.push(performance.now() - begun);
    laptop.cursor = page.cursor;
    if (!page.hasMore) return;
  }
}

type Figures = Record<string, unknown>;

/** One push-throughput burst: every client pushing `batchesPerClient` batches back to back. */
interface Burst {
  readonly mutationsPerSecond: number;
  readonly ms: number;
  readonly serverTicks: number;
  readonly postgresTicks: number;
  readonly benchCpuMs: number;
}

/** A store with its server processes running and the bench's organisation set up on it. */
interface StoreUnderTest {
  readonly label: string;
  readonly print: (line: string) => void;
  readonly figures: Figures;
  readonly bursts: Burst[];
  readonly burst: () => Promise<Burst>;
  /** Everything after the throughput bursts (the fleet, the bulk assignment, capacity). */
  readonly rest: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/**
 * Starts one store's servers and sets up its organisation: `databaseUrl` undefined is SQLite;
 * `instances` servers share the one database. Nothing is measured until burst() or rest().
 */
async function openStore(label: string, databaseUrl: string | undefined, instances: number, serverDir: string): Promise<StoreUnderTest> {
  const dataDirs = await Promise.all(Array.from({ length: instances }, () => mkdtemp(join(tmpdir(), 'reclaim-bench-load-'))));
  const keyEncryptionKey = randomBytes(32).toString('base64');
  const servers: ChildProcess[] = [];
  const print = (line: string) => console.log(`[${label}] ${line}`);
  const close = async () => {
    for (const child of servers) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const urls: string[] = [];
    // One after another: the first migrates the database and makes the demo organisation.
    for (const dataDir of dataDirs) {
      const { child, url } = await serverProcess(dataDir, databaseUrl, keyEncryptionKey, serverDir);
      servers.push(child);
      urls.push(url);
    }
    const office: Http = { url: urls[0]!, token: (await login(urls[0]!, 'dispatcher1', 'demo1234', 'bench-office')).token };
    const admin: Http = { url: urls[0]!, token: (await login(urls[0]!, 'admin', 'demo1234', 'bench-admin')).token };

    // Setup, not measured: agents, their jobs, and the jobs for the bulk assignment.
    const started = performance.now();
    const rows = Array.from({ length: bulkJobs + agentAccounts * 2 }, (_, n) => accountRow(n + 1, { client: 'Load Leasing', account_ref: `LOAD-${n + 1}`, item_serial: `LOAD${n + 1}` }));
    const report = ImportReport.parse(await call(office, '/api/v1/jobs/import', { csv: accountsCsv(rows) }));
    if (report.counts.rows !== rows.length) throw new Error(`import: ${JSON.stringify(report.counts)}`);
    const jobIds: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = JobList.parse(await call(office, `/api/v1/jobs?limit=1000&offset=${offset}`));
      jobIds.push(...page.jobs.filter((job) => job.accountRef.startsWith('LOAD-')).map((job) => job.id));
      if (page.jobs.length < 1000) break;
    }
    const password = 'bench-password-1234';
    const agents: { id: string; deviceId: string; token: string; jobs: string[] }[] = [];
    for (let index = 0; index < agentAccounts + 1; index += 1) {
      const username = `load-${index}`;
      const user = await call<{ id: string }>(admin, '/api/v1/admin/users', { json: { username, displayName: username, role: 'agent', password } });
      const session = await login(urls[index % urls.length]!, username, password, `bench-${username}`);
      agents.push({ id: user.id, deviceId: `bench-${username}`, token: session.token, jobs: jobIds.slice(bulkJobs + index * 2, bulkJobs + index * 2 + 2) });
    }
    const bulkAgent = agents.pop()!;
    for (const agent of agents) await call(office, '/api/v1/jobs/assignments', { json: { jobIds: agent.jobs, agentId: agent.id } });
    const fleet: Laptop[] = Array.from({ length: laptops }, (_, n) => {
      const agent = agents[n % agents.length]!;
      return { agentId: agent.id, deviceId: agent.deviceId, jobs: agent.jobs, http: { url: urls[n % urls.length]!, token: agent.token }, clock: new HybridLogicalClock(`laptop${n}`), cursor: '0' };
    });
    if (parts.has('throughput') || parts.has('fleet') || parts.has('capacity')) for (const laptop of fleet) await pullToEnd(laptop);
    print(`setup: ${rows.length} jobs, ${agents.length} agents on ${laptops} laptops, ${instances} instance(s) (${Math.round(performance.now() - started)} ms, not measured)`);

    const figures: Figures = { instances };
    const bursts: Burst[] = [];
    const pushers = Array.from({ length: clients }, (_, client) => fleet[client % fleet.length]!);

    const burst = async (): Promise<Burst> => {
      if (bursts.length === 0) {
        // A server process just started runs its push path cold: a few batches first, not measured.
        await Promise.all(pushers.map(async (laptop, client) => {
          for (let batch = 0; batch < warmupBatches; batch += 1) await push(laptop, notes(laptop, notesPerBatch, `warm-up ${client}/${batch}`));
        }));
      }
      await untilTheMachineIsQuiet(print);
      const cpuBefore = await cpuTicks(servers, databaseUrl);
      const benchCpuBefore = process.cpuUsage();
      const begun = performance.now();
      await Promise.all(pushers.map(async (laptop, client) => {
        for (let batch = 0; batch < batchesPerClient; batch += 1) await push(laptop, notes(laptop, notesPerBatch, `throughput ${bursts.length}/${client}/${batch}`));
      }));
      const ms = performance.now() - begun;
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const cpuAfter = await cpuTicks(servers, databaseUrl);
      const mutationsPerSecond = Math.round(((clients * batchesPerClient * notesPerBatch) / ms) * 1000);
      const done: Burst = {
        mutationsPerSecond,
        ms,
        serverTicks: ticksSpent(cpuBefore.servers, cpuAfter.servers),
        postgresTicks: ticksSpent(cpuBefore.postgres, cpuAfter.postgres),
        benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
      };
      bursts.push(done);
      print(`push throughput, burst ${bursts.length}: ${clients} clients × ${batchesPerClient} batches of ${notesPerBatch}: ${mutationsPerSecond} mutations/s`);
      return done;
    };

    const rest = async () => {
      if (bursts.length > 0) {
        // CPU time a batch cost over every burst, whatever else the machine ran: what a store asks of the machine.
        const batches = bursts.length * clients * batchesPerClient;
        const perBatch = (ms: number) => Math.round((ms / batches) * 100) / 100;
        const sum = (pick: (b: Burst) => number) => bursts.reduce((total, b) => total + pick(b), 0);
        const cpuPerBatch = {
          serversMs: perBatch(sum((b) => b.serverTicks) * MS_PER_TICK),
          postgresMs: perBatch(sum((b) => b.postgresTicks) * MS_PER_TICK),
          benchMs: perBatch(sum((b) => b.benchCpuMs)),
        };
        const each = bursts.map((b) => b.mutationsPerSecond);
        const mutationsPerSecond = Math.round(median(each));
        print(`push throughput: median of ${bursts.length} bursts ${mutationsPerSecond} mutations/s (${each.join(', ')})`);
        print(`CPU per batch: server processes ${cpuPerBatch.serversMs} ms, PostgreSQL backends ${cpuPerBatch.postgresMs} ms, the bench's clients ${cpuPerBatch.benchMs} ms`);
        for (const laptop of fleet) await pullToEnd(laptop);
        figures.pushThroughput = { clients, batches: batchesPerClient, batchSize: notesPerBatch, bursts: each, mutationsPerSecond, cpuPerBatch };
      }

      if (parts.has('fleet')) {
        // The field: every laptop syncs every 5 s, first ones spread over the first period.
        const { pushes, pulls, asked, answered } = await field(fleet, fleetSeconds);
        print(`${laptops} laptops syncing every 5 s for ${fleetSeconds} s: ${answered} pushes/s of ${asked} asked; push p50/p95/p99 ${pushes.p50}/${pushes.p95}/${pushes.p99} ms; pull p50/p95/p99 ${pulls.p50}/${pulls.p95}/${pulls.p99} ms`);
        figures.fleet = { laptops, everyMs: syncEveryMs, seconds: fleetSeconds, notesPerPush, pushesAskedPerSecond: asked, pushesAnsweredPerSecond: answered, pushMs: pushes, pullPageMs: pulls };
      }

      if (parts.has('bulk')) {
        // Bulk assignment of the jobs nobody has yet.
        const begun = performance.now();
        const answer = await call(office, '/api/v1/jobs/assignments', { json: { jobIds: jobIds.slice(0, bulkJobs), agentId: bulkAgent.id } });
        const answeredMs = Math.round(performance.now() - begun);
        // The app reads the answer with the same schema, so its time counts; it is shown apart.
        const bulk = BulkResult.parse(answer);
        const bulkMs = Math.round(performance.now() - begun);
        const done = bulk.results.filter((result) => result.outcome === 'done').length;
        if (done !== bulkJobs) throw new Error(`bulk assignment: ${done} of ${bulkJobs} done`);
        print(`bulk assignment of ${bulkJobs} jobs: ${bulkMs} ms (answered in ${answeredMs} ms, then ${bulkMs - answeredMs} ms to check the answer's ${bulkJobs} jobs)`);
        figures.bulkAssignment = { jobs: bulkJobs, ms: bulkMs, answeredMs };
      }

      if (parts.has('capacity')) {
        // Capacity: the same load with ever more laptops, until the p95 target or the schedule breaks.
        const capacity: { laptops: number; held: boolean; answered: number; asked: number; pushP95: number; pullP95: number }[] = [];
        for (const size of capacitySteps) {
          const more: Laptop[] = Array.from({ length: size }, (_, n) => {
            const agent = agents[n % agents.length]!;
            return { agentId: agent.id, deviceId: agent.deviceId, jobs: agent.jobs, http: { url: urls[n % urls.length]!, token: agent.token }, clock: new HybridLogicalClock(`capacity${size}-${n}`), cursor: fleet[n % fleet.length]!.cursor };
          });
          for (const laptop of more) await pullToEnd(laptop);
          const step = await field(more, capacitySeconds);
          const held = step.pushes.p95 <= p95Target && step.pulls.p95 <= p95Target && step.answered >= 0.95 * step.asked;
          capacity.push({ laptops: size, held, answered: step.answered, asked: step.asked, pushP95: step.pushes.p95, pullP95: step.pulls.p95 });
          print(`capacity: ${size} laptops: ${step.answered} pushes/s of ${step.asked}; push p95 ${step.pushes.p95} ms, pull p95 ${step.pulls.p95} ms: ${held ? 'held' : 'did not hold'}`);
          if (!held) break;
        }
        const heldAt = capacity.filter((step) => step.held).at(-1)?.laptops ?? 0;
        if (capacitySteps.length > 0) print(`capacity: ${heldAt > 0 ? `holds ${heldAt} laptops` : `did not hold ${capacitySteps[0]} laptops`} at p95 ≤ ${p95Target} ms`);
        figures.capacity = { p95TargetMs: p95Target, seconds: capacitySeconds, steps: capacity, heldLaptops: heldAt };
      }
    };
    return { label, print, figures, bursts, burst, rest, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A server instance in its own process; resolves once it prints where it listens. */
/** Linux counts a process's CPU time in clock ticks of 10 ms (USER_HZ, 100 on every mainstream kernel). */
const MS_PER_TICK = 10;

/** User plus system ticks of a process so far, from /proc (0 where it is gone or not Linux). */
function processTicks(pid: number): number {
  try {
    // The command name (field 2) may hold spaces, so fields are counted after its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** CPU ticks so far of the server processes and of every PostgreSQL backend serving the bench's database. */
async function cpuTicks(servers: readonly ChildProcess[], databaseUrl: string | undefined) {
  const serverTicks = new Map(servers.map((child) => [child.pid ?? 0, processTicks(child.pid ?? 0)]));
  const postgres = new Map<number, number>();
  if (databaseUrl !== undefined) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      for (const { pid } of rows) postgres.set(pid, processTicks(pid));
    } finally {
      await client.end();
    }
  }
  return { servers: serverTicks, postgres };
}

/** The machine's busy and total CPU ticks so far, all cores together (the first line of /proc/stat). */
function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...counts] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    const total = counts.slice(0, 8).reduce((sum, n) => sum + n, 0);
    // idle and iowait are the fourth and fifth counters.
    return { busy: total - (counts[3] ?? 0) - (counts[4] ?? 0), total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/**
 * Waits (up to 10 s) until the machine is nearly idle for half a second. A burst follows another
 * store's, and what that store left running (PostgreSQL's autovacuum of the rows just pushed, a
 * statistics keeper's ANALYZE) would otherwise be counted against the burst that comes next.
 */
async function untilTheMachineIsQuiet(print: (line: string) => void): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const before = machineTicks();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = machineTicks();
    const busy = after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : 0;
    if (busy <= 0.1) return;
    if (performance.now() > deadline) {
      print(`the machine was still ${Math.round(busy * 100)} % busy after 10 s; measuring anyway`);
      return;
    }
  }
}

/** Ticks spent between two readings; a process that appeared in between counts from zero. */
function ticksSpent(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let total = 0;
  for (const [pid, ticks] of after) total += ticks - (before.get(pid) ?? 0);
  return total;
}

async function serverProcess(dataDir: string, databaseUrl: string | undefined, keyEncryptionKey: string, serverDir: string): Promise<{ child: ChildProcess; url: string }> {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'tests/bench/bench-server-process.ts', dataDir, databaseUrl ?? ''], {
    cwd: serverDir,
    env: { ...process.env, RECLAIM_KEY_ENCRYPTION_KEY: keyEncryptionKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the bench server exited (${String(code)}) before it listened`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const parsed = /^\{"url":"(http:[^"]+)"\}$/.exec(line);
      if (parsed) return parsed[1]!;
    }
    throw new Error('the bench server closed its output before it listened');
  })();
  const url = await Promise.race([listening, exited]);
  return { child, url };
}

/** Every laptop syncs every 5 s (push, then pull to the end), the first ones spread over the first period. */
async function field(fleet: readonly Laptop[], seconds: number) {
  const pushLatencies: number[] = [];
  const pullLatencies: number[] = [];
  const started = performance.now();
  const endAt = started + seconds * 1000;
  await Promise.all(
    fleet.map(async (laptop, n) => {
      let next = started + (n / fleet.length) * syncEveryMs;
      while (next < endAt) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
        const begun = performance.now();
        await push(laptop, notes(laptop, notesPerPush, 'fleet'));
        pushLatencies.push(performance.now() - begun);
        await pullToEnd(laptop, pullLatencies);
        next += syncEveryMs;
      }
    }),
  );
  const fleetMs = performance.now() - started;
  return {
    pushes: spread(pushLatencies),
    pulls: spread(pullLatencies),
    asked: fleet.length / (syncEveryMs / 1000),
    answered: Math.round((pushLatencies.length / fleetMs) * 1000 * 10) / 10,
  };
}

/** A store on a fresh PostgreSQL database (dropped when the store closes), or why PostgreSQL cannot be measured. */
async function openOnFreshPostgres(label: string, instances: number, serverDir: string): Promise<StoreUnderTest | string> {
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    console.log(`[${label}] SKIPPED: ${unavailable}`);
    return `skipped: ${unavailable}`;
  }
  const databaseUrl = await createTestDatabase();
  try {
    const store = await openStore(label, databaseUrl, instances, serverDir);
    return {
      ...store,
      close: async () => {
        await store.close();
        await dropTestDatabase(databaseUrl);
      },
    };
  } catch (error) {
    await dropTestDatabase(databaseUrl);
    throw error;
  }
}

function ratio(figures: Figures | string | undefined, sqlite: Figures | undefined, pick: (f: Figures) => number | undefined): string {
  if (typeof figures !== 'object' || sqlite === undefined) return 'n/a';
  const [mine, theirs] = [pick(figures), pick(sqlite)];
  return mine === undefined || theirs === undefined ? 'n/a' : (mine / theirs).toFixed(2);
}

type StoreKey = 'sqlite' | 'postgres1' | 'postgres2';

interface Round {
  readonly checkout: 'this' | 'baseline';
  readonly sqlite?: Figures | string;
  readonly postgres1?: Figures | string;
  readonly postgres2?: Figures | string;
}

const throughput = (f: Figures) => (f.pushThroughput as { mutationsPerSecond: number } | undefined)?.mutationsPerSecond;

/**
 * One round on one checkout: every store's servers start and are set up first, then the push
 * throughput is measured in THROUGHPUT_BURSTS bursts that take turns between the stores (the order
 * reversed at every turn), so each burst of PostgreSQL has a burst of SQLite beside it, seconds
 * apart. This machine's speed drifts by a quarter from one minute to the next; with each store
 * measured whole one after another, a round's ratio swung from 0.53× to 0.82× (the same server
 * code, over TCP and over the Unix socket). Then the other parts, store by store.
 */
async function round(checkout: Round['checkout'], serverDir: string): Promise<Round> {
  const tag = checkout === 'baseline' ? ' @ baseline' : '';
  const opened: { key: StoreKey; store: StoreUnderTest | string }[] = [];
  try {
    if (stores.has('sqlite')) opened.push({ key: 'sqlite', store: await openStore(`sqlite${tag}`, undefined, 1, serverDir) });
    if (stores.has('postgres1')) opened.push({ key: 'postgres1', store: await openOnFreshPostgres(`postgres ×1${tag}`, 1, serverDir) });
    if (stores.has('postgres2')) opened.push({ key: 'postgres2', store: await openOnFreshPostgres(`postgres ×2${tag}`, 2, serverDir) });
    const running = opened.flatMap(({ store }) => (typeof store === 'object' ? [store] : []));
    if (parts.has('throughput')) {
      for (let turn = 0; turn < throughputBursts; turn += 1) {
        for (const store of turn % 2 === 0 ? running : [...running].reverse()) await store.burst();
      }
    }
    const result: { -readonly [K in StoreKey]?: Figures | string } = {};
    for (const { key, store } of opened) {
      if (typeof store === 'object') await store.rest();
      result[key] = typeof store === 'object' ? store.figures : store;
    }
    return { checkout, ...result };
  } finally {
    for (const { store } of opened) if (typeof store === 'object') await store.close();
  }
}

/** PostgreSQL's mutations/s over SQLite's, burst by burst (each pair measured seconds apart), and their median. */
function burstRatios(figures: Figures | string | undefined, sqlite: Figures | string | undefined): number[] {
  const each = (f: Figures | string | undefined) => (typeof f === 'object' ? ((f.pushThroughput as { bursts: number[] } | undefined)?.bursts ?? []) : []);
  const [mine, theirs] = [each(figures), each(sqlite)];
  return mine.flatMap((value, n) => (theirs[n] === undefined ? [] : [value / theirs[n]!]));
}

/** The medians over rounds: each store's mutations/s, PostgreSQL's ratio to SQLite, and this checkout's to the baseline's. */
function summarise(rounds: readonly Round[]): void {
  const storeKeys = ['sqlite', 'postgres1', 'postgres2'] as const;
  const mutations = (r: Round, key: (typeof storeKeys)[number]) => {
    const figures = r[key];
    return typeof figures === 'object' ? throughput(figures) : undefined;
  };
  for (const checkout of ['baseline', 'this'] as const) {
    const mine = rounds.filter((r) => r.checkout === checkout);
    if (mine.length === 0) continue;
    for (const key of storeKeys) {
      const values = mine.flatMap((r) => mutations(r, key) ?? []);
      if (values.length > 0) console.log(`[median of ${values.length}, ${checkout}] ${key}: ${Math.round(median(values))} mutations/s (${values.join(', ')})`);
    }
    for (const key of ['postgres1', 'postgres2'] as const) {
      // Each round's ratio is the median of its burst pairs; every pair of every round is shown too.
      const perRound = mine.map((r) => burstRatios(r[key], r.sqlite)).filter((ratios) => ratios.length > 0);
      if (perRound.length === 0) continue;
      const every = perRound.flat();
      console.log(`[median of ${perRound.length}, ${checkout}] ${key} / sqlite: ${median(perRound.map(median)).toFixed(2)}× by round (${perRound.map((r) => median(r).toFixed(2)).join(', ')}); ${median(every).toFixed(2)}× over all ${every.length} burst pairs`);
    }
  }
  for (const key of storeKeys) {
    // A round's two checkouts ran one right after the other, so a pair shares the machine's mood.
    const pairs: number[] = [];
    for (let n = 1; n < rounds.length; n += 2) {
      const pair = [rounds[n - 1]!, rounds[n]!];
      const [old, now] = [pair.find((r) => r.checkout === 'baseline'), pair.find((r) => r.checkout === 'this')].map((r) => (r ? mutations(r, key) : undefined));
      if (old !== undefined && now !== undefined) pairs.push(now / old);
    }
    if (pairs.length > 0) console.log(`[median of ${pairs.length} pairs] ${key}, this / baseline: ${median(pairs).toFixed(2)}× (${pairs.map((x) => x.toFixed(2)).join(', ')})`);
  }
}

async function main(): Promise<void> {
  const rounds: Round[] = [];
  for (let n = 0; n < roundCount; n += 1) {
    if (baselineDir === undefined) {
      rounds.push(await round('this', process.cwd()));
      continue;
    }
    const [baseline, current] = [() => round('baseline', baselineDir), () => round('this', process.cwd())];
    for (const measureOne of n % 2 === 0 ? [baseline, current] : [current, baseline]) rounds.push(await measureOne());
  }
  const { sqlite, postgres1, postgres2 } = rounds.filter((r) => r.checkout === 'this').at(-1)!;
  const pushP95 = (f: Figures) => (f.fleet as { pushMs: { p95: number } } | undefined)?.pushMs.p95;
  const bulk = (f: Figures) => (f.bulkAssignment as { ms: number } | undefined)?.ms;
  const sqliteFigures = typeof sqlite === 'object' ? sqlite : undefined;
  for (const [label, figures] of [['postgres ×1', postgres1], ['postgres ×2', postgres2]] as const) {
    if (figures === undefined || sqliteFigures === undefined) continue;
    const pairs = burstRatios(figures, sqliteFigures);
    const paired = pairs.length > 0 ? ` (median of ${pairs.length} burst pairs; each: ${pairs.map((x) => x.toFixed(2)).join(', ')})` : '';
    console.log(`[${label}] / sqlite: mutations/s ${pairs.length > 0 ? median(pairs).toFixed(2) : 'n/a'}×${paired}, fleet push p95 ${ratio(figures, sqliteFigures, pushP95)}×, bulk assignment ${ratio(figures, sqliteFigures, bulk)}×`);
  }
  if (rounds.length > 1) summarise(rounds);
  mkdirSync('tests/bench/results', { recursive: true });
  const resultFile = 'tests/bench/results/server-load.json';
  const everyRound = rounds.length > 1 ? { rounds } : {};
  writeFileSync(resultFile, `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, parts: [...parts], sqlite, postgres1, postgres2, ...everyRound }, null, 2)}\n`);
  console.log(`Wrote ${resultFile}`);
}

void main();
