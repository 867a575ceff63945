/**
 * The server's side of a first sync: one agent's jobs (BENCH_JOBS, default 10,000, 5 items each,
 * seeded as the job-list bench seeds them) pulled from the first page to the last over real HTTP
 * by a bare loop in this process, in the app's page size (APP_PULL_LIMIT), on SQLite and on
 * PostgreSQL (STORES=sqlite,postgres; PostgreSQL at RECLAIM_TEST_POSTGRES_URL, skipped with the
 * reason when it does not answer). Each walk reports its wall time and this process's CPU time
 * (the server and the loop share the process; the loop's part is the same for every walk; on
 * PostgreSQL the database's own processes are not in it).
 *
 * BENCH_BASELINE_DIR=<a checkout of another commit, with its node_modules> starts that checkout's
 * server beside this one's, each on data of its own seeded the same way, and alternates the walks
 * between them (the order swapped every round) so both see the same machine; the medians and the
 * ratio this / baseline of each round are printed. WALKS sets the measured walks per server
 * (default 5, after one unmeasured). Writes tests/bench/results/pull-walk.json; asserts nothing
 * about time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Cursor } from '../../shared/sync/protocol';
import { APP_PULL_LIMIT } from '../../renderer/sync/engine';
import { startServer, type RunningServer, type StartServerOptions } from '../../server/main';
import { createTestDatabase, dropTestDatabase, postgresUnavailableReason } from '../integration/helpers/test-database';
import { BENCH_AGENT, seed } from './agent-jobs-seed';
import { call, login } from './bench-http';
import { median } from './bench-stats';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const WALKS = Number(process.env.WALKS ?? 5);
const STORES = (process.env.STORES ?? 'sqlite,postgres').split(',').filter((store): store is 'sqlite' | 'postgres' => store === 'sqlite' || store === 'postgres');
const baselineDir = process.env.BENCH_BASELINE_DIR ? resolve(process.env.BENCH_BASELINE_DIR) : null;

/** What the loop reads of a page: where the next one starts. The changes are counted, not checked. */
const WalkedPage = z.object({ changes: z.array(z.unknown()), cursor: Cursor, hasMore: z.boolean() });

type Start = (options: StartServerOptions) => Promise<RunningServer>;

/** The baseline checkout's startServer, loaded from its own source (tsx compiles it as it loads). */
async function baselineStart(dir: string): Promise<Start> {
  const loaded: unknown = await import(pathToFileURL(join(dir, 'server', 'main.ts')).href);
  const start = z.object({ startServer: z.custom<Start>((value) => typeof value === 'function') }).safeParse(loaded);
  if (!start.success) throw new Error(`${dir}/server/main.ts does not export startServer`);
  return start.data.startServer;
}

interface Walk {
  wallMs: number;
  cpuMs: number;
  pages: number;
  changes: number;
  megabytes: number;
}

/** One walk from cursor 0 to the last page, as a fresh laptop's first pull asks for it; `weigh` also sizes the pages (the unmeasured walk). */
async function walk(url: string, token: string, weigh = false): Promise<Walk> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let cursor = '0';
  let pages = 0;
  let changes = 0;
  let bytes = 0;
  for (;;) {
    const raw = await call<unknown>({ url, token }, `/api/v1/sync/pull?cursor=${cursor}&limit=${APP_PULL_LIMIT}`);
    if (weigh) bytes += JSON.stringify(raw).length;
    const page = WalkedPage.parse(raw);
    pages += 1;
    changes += page.changes.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, pages, changes, megabytes: bytes / 1e6 };
}

interface Side {
  name: string;
  server: RunningServer;
  token: string;
  walks: Walk[];
  cleanup: () => Promise<void>;
}

/** A server of the given checkout on fresh seeded data of its own, and the agent's token. */
async function side(name: string, start: Start, store: 'sqlite' | 'postgres'): Promise<Side> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-bench-pull-walk-'));
  const databaseUrl = store === 'postgres' ? await createTestDatabase() : undefined;
  const server = await start({ port: 0, host: '127.0.0.1', dataDir, databaseUrl, demo: true, logger: false });
  const seeded = performance.now();
  await seed(server.url, new Date(), JOBS);
  console.log(`  ${name}: seeded ${JOBS} jobs in ${Math.round(performance.now() - seeded)} ms (not measured)`);
  const token = (await login(server.url, BENCH_AGENT.username, BENCH_AGENT.password, `bench-pull-walk-${name}`)).token;
  return {
    name,
    server,
    token,
    walks: [],
    cleanup: async () => {
      await server.close();
      if (databaseUrl) await dropTestDatabase(databaseUrl);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function summary(walks: readonly Walk[]) {
  return { wallMs: median(walks.map((one) => one.wallMs)), cpuMs: median(walks.map((one) => one.cpuMs)) };
}

async function benchStore(store: 'sqlite' | 'postgres'): Promise<Record<string, unknown>> {
  console.log(`\n[${store}] one agent's ${JOBS} jobs, pulled ${APP_PULL_LIMIT} changes a page from the first page to the last`);
  const sides = [await side('this checkout', startServer, store)];
  if (baselineDir) sides.push(await side(`baseline (${baselineDir})`, await baselineStart(baselineDir), store));
  try {
    const sizes: Walk[] = [];
    for (const one of sides) sizes.push(await walk(one.server.url, one.token, true));
    for (let round = 0; round < WALKS; round += 1) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const one of order) one.walks.push(await walk(one.server.url, one.token));
    }
    const [measured, baseline] = sides;
    if (!measured) throw new Error('no server was started');
    const first = sizes[0];
    if (first) console.log(`  each walk: ${first.pages} pages, ${first.changes} changes, ${first.megabytes.toFixed(1)} MB of JSON`);
    const result: Record<string, unknown> = { store, jobs: JOBS, walks: WALKS };
    for (const one of sides) {
      const { wallMs, cpuMs } = summary(one.walks);
      console.log(
        `  ${one.name}: median ${Math.round(wallMs)} ms wall, ${Math.round(cpuMs)} ms CPU a walk ` +
          `(${Math.round(wallMs / (first?.pages ?? 1))} ms a page; walks ${one.walks.map((w) => Math.round(w.wallMs)).join(', ')} ms)`,
      );
      result[one === measured ? 'this' : 'baseline'] = { wallMs, cpuMs, walls: one.walks.map((w) => w.wallMs), cpus: one.walks.map((w) => w.cpuMs) };
    }
    if (baseline) {
      const wallRatios = measured.walks.map((w, index) => w.wallMs / (baseline.walks[index]?.wallMs ?? Number.NaN));
      const cpuRatios = measured.walks.map((w, index) => w.cpuMs / (baseline.walks[index]?.cpuMs ?? Number.NaN));
      console.log(
        `  this / baseline: wall ${median(wallRatios).toFixed(2)} (rounds ${wallRatios.map((r) => r.toFixed(2)).join(', ')}), ` +
          `CPU ${median(cpuRatios).toFixed(2)} (rounds ${cpuRatios.map((r) => r.toFixed(2)).join(', ')})`,
      );
      result.ratio = { wall: median(wallRatios), cpu: median(cpuRatios) };
    }
    return result;
  } finally {
    for (const one of sides) await one.cleanup();
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown>[] = [];
  for (const store of STORES) {
    if (store === 'postgres') {
      const unavailable = await postgresUnavailableReason();
      if (unavailable) {
        console.log(`\n[postgres] not measured: ${unavailable}`);
        continue;
      }
    }
    results.push(await benchStore(store));
  }
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/pull-walk.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), results }, null, 2)}\n`);
  console.log('\nWrote tests/bench/results/pull-walk.json');
}

await main();
