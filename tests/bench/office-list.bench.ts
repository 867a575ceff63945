/**
 * The office list at 100,000 jobs (issue 15 point 2): a real server over real HTTP, on SQLite and
 * on PostgreSQL, answering the first page (several orders), searches and filtered counts. The
 * floor beside it, in the same run: what the dispatcher's screen asked before (the first 1,000
 * jobs, filtered in the browser) and the API's previous search (a LIKE scan of every job).
 * Prints p50/p95 and writes tests/bench/results/office-list.json; asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startServer } from '../../server/main';
import { createDatabase, type DatabaseConfig } from '../../server/store/database';
import { jobRow } from '../../server/store/jobs-repository';
import type { Job } from '../../shared/domain/job';
import { priorities } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { createTestDatabase, dropTestDatabase, postgresUnavailableReason } from '../integration/helpers/test-database';

const JOBS = Number(process.env.OFFICE_BENCH_JOBS ?? 100_000);
const RUNS = 30;
const clients = ['Lakeshore Cable', 'Prairie Leasing', 'Metro Medical', 'Northside Copiers', 'Lakeview Tools'].map((name) => ({ id: newId(), name }));

interface Figure {
  readonly store: string;
  readonly case: string;
  readonly jobs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly found: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1));
}

async function measure(store: string, name: string, work: () => Promise<number>): Promise<Figure> {
  await work();
  const samples: number[] = [];
  let found = 0;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    found = await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const figure = { store, case: name, jobs: JOBS, p50Ms: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), found };
  console.log(`${store.padEnd(10)} ${name.padEnd(52)} p50 ${String(figure.p50Ms).padStart(7)} ms  p95 ${String(figure.p95Ms).padStart(7)} ms  (${found} found)`);
  return figure;
}

function benchJob(n: number, agentIds: readonly string[], at: string): Job {
  const client = clients[n % clients.length] ?? clients[0];
  const agent = n % 3 === 0 ? null : agentIds[n % agentIds.length] ?? null;
  const serial = `SN${String(n).padStart(8, '0')}`;
  return {
    id: newId(),
    clientId: client?.id ?? '',
    clientName: client?.name ?? '',
    accountRef: `LC-${String(n).padStart(6, '0')}`,
    customer: { name: `Customer ${n}`, phones: ['+1 312 555 0100'], email: null },
    address: { line1: `${100 + (n % 900)} N State St`, line2: null, city: 'Chicago', region: 'IL', postalCode: '60610', country: 'US', lat: 41.88 + (n % 100) / 1000, lon: -87.63 - (n % 100) / 1000 },
    timeZone: 'America/Chicago',
    dueDate: n % 11 === 0 ? null : `2026-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
    priority: priorities[n % priorities.length] ?? 'normal',
    appointment: null,
    instructions: null,
    items: [{ id: newId(), type: 'modem', make: 'Arris', model: 'SB8200', serial, assetTag: null }],
    status: agent === null ? 'unassigned' : n % 7 === 0 ? 'closed' : 'assigned',
    assignedAgentId: agent,
    reviewReason: n % 997 === 0 ? 'Work arrived for a job that moved' : null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Rows go straight into the store, a thousand a statement: seeding is not what is measured. */
async function seed(config: DatabaseConfig): Promise<void> {
  const store = await createDatabase(config);
  try {
    const agentIds = (await store.db.selectFrom('users').select('id').where('role', '=', 'agent').execute()).map((row) => row.id);
    await store.db.insertInto('clients').values(clients).execute();
    const at = new Date().toISOString();
    const batch = 1_000;
    for (let start = 1; start <= JOBS; start += batch) {
      const rows = [];
      for (let n = start; n < start + batch && n <= JOBS; n += 1) rows.push(jobRow(benchJob(n, agentIds, at)));
      await store.db.insertInto('jobs').values(rows).execute();
    }
    // Fresh statistics, as autovacuum (PostgreSQL) or the next optimize (SQLite) would gather them.
    await sql`analyze`.execute(store.db);
  } finally {
    await store.close();
  }
}

async function benchStore(store: 'sqlite' | 'postgres'): Promise<Figure[]> {
  const dataDir = await mkdtemp(join(tmpdir(), `reclaim-bench-office-${store}-`));
  const databaseUrl = store === 'postgres' ? await createTestDatabase() : undefined;
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true, databaseUrl });
  try {
    const started = performance.now();
    await seed(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
    console.log(`${store}: seeded ${JOBS.toLocaleString('en-US')} jobs in ${Math.round(performance.now() - started)} ms`);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
    const { token } = (await login.json()) as { token: string };
    const get = async (path: string) => {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { jobs?: unknown[]; total: number; nextCursor?: string | null };
    };
    const client = clients[2]?.id ?? '';
    const cases: [string, string][] = [
      ['before: old screen load (first 1,000 jobs)', '/api/v1/jobs?limit=1000'],
      ['first page, by due date', '/api/v1/jobs?sort=due&limit=50'],
      ['first page, by customer, descending', '/api/v1/jobs?sort=customer&dir=desc&limit=50'],
      ['first page, by agent', '/api/v1/jobs?sort=agent&limit=50'],
      ['first page, by client', '/api/v1/jobs?sort=client&limit=50'],
      ['page 1,000 (offset 49,950), by due date', '/api/v1/jobs?sort=due&limit=50&offset=49950'],
      ['search: an account (LC-050000)', '/api/v1/jobs?q=LC-050000&limit=50'],
      ['search: part of a serial (0099999)', '/api/v1/jobs?q=0099999&limit=50'],
      ['search: two words (customer 77777)', '/api/v1/jobs?q=customer%2077777&limit=50'],
      ['filtered page: client + urgent + assigned', `/api/v1/jobs?clientId=${client}&priority=urgent&status=assigned&sort=customer&limit=50`],
      ['counts: whole organisation', '/api/v1/jobs/counts?today=2026-06-15'],
      ['counts: client + priority', `/api/v1/jobs/counts?clientId=${client}&priority=high&today=2026-06-15`],
      ['counts: search (customer 7777)', '/api/v1/jobs/counts?q=customer%207777&today=2026-06-15'],
    ];
    const figures: Figure[] = [];
    for (const [name, path] of cases) figures.push(await measure(store, name, async () => (await get(path)).total));
    // What the list's Next button asks a thousand pages in: the page after a cursor, not an offset.
    for (const [name, sort] of [['page 1,000 by cursor, by due date', 'due'], ['page 1,000 by cursor, by agent', 'agent'], ['page 1,000 by cursor, by customer', 'customer']] as const) {
      const { nextCursor } = await get(`/api/v1/jobs?sort=${sort}&limit=1&offset=49949`);
      figures.push(await measure(store, name, async () => (await get(`/api/v1/jobs?sort=${sort}&limit=50&after=${nextCursor ?? ''}`)).total));
    }
    // The API's search before the words index: a LIKE scan of every job's text, with its count.
    const raw = await createDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
    try {
      figures.push(
        await measure(store, 'before: old API search, LIKE scan (LC-050000)', async () => {
          const rows = await raw.db.selectFrom('jobs').select('id').where(sql<boolean>`search_text like ${'%lc-050000%'}`).orderBy('due_date').orderBy('id').limit(50).execute();
          const count = await raw.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where(sql<boolean>`search_text like ${'%lc-050000%'}`).executeTakeFirstOrThrow();
          return rows.length === 0 ? 0 : Number(count.n);
        }),
      );
    } finally {
      await raw.close();
    }
    return figures;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }
}

async function main(): Promise<void> {
  const figures = await benchStore('sqlite');
  const unavailable = await postgresUnavailableReason();
  if (unavailable) console.log(`PostgreSQL skipped: ${unavailable}`);
  else figures.push(...(await benchStore('postgres')));
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/office-list.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, jobs: JOBS, runs: RUNS, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/office-list.json');
}

await main();
