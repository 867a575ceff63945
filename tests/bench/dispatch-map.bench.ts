/**
 * The dispatch map: in the browser, how long the cluster index takes to build (once per answer)
 * and one view's query (every pan and zoom), plus area selection, at 1,000–50,000 jobs; on the
 * server (issue 15), what the map asks at 100,000 jobs over real HTTP, on SQLite and PostgreSQL:
 * a view's answer (clusters counted by the database, or the jobs one by one) beside the old feed
 * of every job (map-points). MAP_BENCH_JOBS sets the server's size (0 leaves it out).
 * Prints the figures and writes tests/bench/results/dispatch-map.json; asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startServer } from '../../server/main';
import { createDatabase, type DatabaseConfig } from '../../server/store/database';
import { jobRow } from '../../server/store/jobs-repository';
import { priorities } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { createTestDatabase, dropTestDatabase, postgresUnavailableReason } from '../integration/helpers/test-database';
import { idsInArea } from '../../renderer/features/dispatch/map/area-selection';
import { buildJobClusterIndex, type ViewBox } from '../../renderer/features/dispatch/map/job-clusters';
import { generatedMapJobs } from '../fixtures/dispatch/map-jobs';

interface Figure {
  readonly case: string;
  readonly jobs: number;
  readonly medianMs: number;
  readonly worstMs: number;
  /** Markers drawn for a view, or jobs picked by a selection. */
  readonly found?: number;
}

function time<T>(name: string, jobs: number, runs: number, work: () => T, found?: (result: T) => number): Figure {
  const samples: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const figure: Figure = {
    case: name,
    jobs,
    medianMs: Number((samples[Math.floor(samples.length / 2)] ?? 0).toFixed(3)),
    worstMs: Number((samples.at(-1) ?? 0).toFixed(3)),
    ...(found && result !== undefined ? { found: found(result) } : {}),
  };
  console.log(`${name.padEnd(40)} ${String(jobs).padStart(6)} jobs  median ${figure.medianMs.toFixed(2).padStart(8)} ms  worst ${figure.worstMs.toFixed(2).padStart(8)} ms${figure.found === undefined ? '' : `  ${figure.found} found`}`);
  return figure;
}

const views: [string, ViewBox, number][] = [
  ['view: whole area, zoom 9', [-88.3, 41.5, -87.2, 42.3], 9],
  ['view: city, zoom 12', [-87.75, 41.83, -87.55, 41.93], 12],
  ['view: streets, zoom 16', [-87.64, 41.875, -87.62, 41.888], 16],
];

const SERVER_JOBS = Number(process.env.MAP_BENCH_JOBS ?? 100_000);

/** The generated map jobs as whole jobs, straight into the store; one in fifty without a pin. */
async function seedServer(config: DatabaseConfig): Promise<void> {
  const store = await createDatabase(config);
  try {
    const client = { id: newId(), name: 'Lakeshore Cable' };
    await store.db.insertInto('clients').values(client).execute();
    const at = new Date().toISOString();
    const points = generatedMapJobs(SERVER_JOBS, 7);
    for (let start = 0; start < points.length; start += 1_000) {
      const rows = points.slice(start, start + 1_000).map((point, i) => {
        const n = start + i;
        const pinned = n % 50 !== 0;
        return jobRow({
          id: newId(),
          clientId: client.id,
          clientName: client.name,
          accountRef: `LC-${String(n).padStart(6, '0')}`,
          customer: { name: point.customerName, phones: [], email: null },
          address: { line1: `${n} Test St`, line2: null, city: 'Chicago', region: 'IL', postalCode: '60610', country: 'US', lat: pinned ? point.lat : null, lon: pinned ? point.lon : null },
          timeZone: 'America/Chicago',
          dueDate: null,
          priority: priorities[n % priorities.length] ?? 'normal',
          appointment: null,
          instructions: null,
          items: [],
          status: 'unassigned',
          assignedAgentId: null,
          reviewReason: null,
          createdAt: at,
          updatedAt: at,
          version: 1,
        });
      });
      await store.db.insertInto('jobs').values(rows).execute();
    }
    await sql`analyze`.execute(store.db);
  } finally {
    await store.close();
  }
}

async function timeHttp(store: string, name: string, runs: number, work: () => Promise<number>): Promise<Figure> {
  await work();
  const samples: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    found = await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const figure: Figure = { case: `${store}: ${name}`, jobs: SERVER_JOBS, medianMs: Number((samples[Math.floor(samples.length / 2)] ?? 0).toFixed(3)), worstMs: Number((samples.at(-1) ?? 0).toFixed(3)), found };
  console.log(`${figure.case.padEnd(52)} ${String(SERVER_JOBS).padStart(6)} jobs  median ${figure.medianMs.toFixed(1).padStart(8)} ms  worst ${figure.worstMs.toFixed(1).padStart(8)} ms  ${found} found`);
  return figure;
}

async function serverFigures(store: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const dataDir = await mkdtemp(join(tmpdir(), `reclaim-bench-map-${store}-`));
  const databaseUrl = store === 'postgres' ? await createTestDatabase() : undefined;
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true, databaseUrl });
  try {
    await seedServer(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
    const { token } = (await login.json()) as { token: string };
    const get = async (path: string) => {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { jobs: unknown[]; total?: number; clusters?: unknown[] };
    };
    const figures = [await timeHttp(store, 'before: map-points (every job)', 7, async () => (await get('/api/v1/dispatch/map-points')).jobs.length)];
    for (const [name, [west, south, east, north], zoom] of views) {
      figures.push(await timeHttp(store, `map-view ${name.replace('view: ', '')}`, 21, async () => {
        const answer = await get(`/api/v1/dispatch/map-view?west=${west}&south=${south}&east=${east}&north=${north}&zoom=${zoom}`);
        return (answer.clusters?.length ?? 0) + answer.jobs.length;
      }));
    }
    return figures;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for (const count of [1_000, 10_000, 50_000]) {
    const jobs = generatedMapJobs(count);
    figures.push(time(`index build`, count, 7, () => buildJobClusterIndex(jobs)));
    const index = buildJobClusterIndex(jobs);
    for (const [name, view, zoom] of views) figures.push(time(name, count, 51, () => index.markers(view, zoom), (markers) => markers.length));
    figures.push(time('box selection (city box)', count, 51, () => idsInArea(jobs, { kind: 'box', box: { south: 41.83, west: -87.75, north: 41.93, east: -87.55 } }), (ids) => ids.length));
    const ring = Array.from({ length: 200 }, (_, i) => ({ lat: 41.88 + 0.05 * Math.sin((i / 200) * 2 * Math.PI), lon: -87.65 + 0.07 * Math.cos((i / 200) * 2 * Math.PI) }));
    figures.push(time('lasso selection (200-point ring)', count, 51, () => idsInArea(jobs, { kind: 'lasso', ring }), (ids) => ids.length));
  }
  if (SERVER_JOBS > 0) {
    figures.push(...(await serverFigures('sqlite')));
    const unavailable = await postgresUnavailableReason();
    if (unavailable) console.log(`PostgreSQL skipped: ${unavailable}`);
    else figures.push(...(await serverFigures('postgres')));
  }
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/dispatch-map.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/dispatch-map.json');
}

await main();
