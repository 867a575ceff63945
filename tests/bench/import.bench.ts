/**
 * Import throughput: plans (parse + validate) and imports generated account files into a real
 * server over real HTTP on a fresh SQLite file, and prints rows per second. Writes
 * tests/bench/results/import.json; asserts nothing about time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportReport } from '../../shared/dispatch/dispatch-api';
import { planImport } from '../../shared/dispatch/import-plan';
import { startServer } from '../../server/main';
import { generatedAccountsCsv } from '../fixtures/dispatch/accounts-csv';

interface Figure {
  readonly case: string;
  readonly rows: number;
  readonly ms: number;
  readonly rowsPerSecond: number;
}

function figure(name: string, rows: number, ms: number): Figure {
  const result = { case: name, rows, ms: Math.round(ms), rowsPerSecond: Math.round((rows / ms) * 1000) };
  console.log(`${name.padEnd(34)} ${String(rows).padStart(6)} rows ${String(result.ms).padStart(6)} ms ${String(result.rowsPerSecond).padStart(8)} rows/s`);
  return result;
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  for (const accounts of [750, 3750]) {
    const { csv, rows } = generatedAccountsCsv(accounts);
    const started = performance.now();
    planImport(csv);
    figures.push(figure(`plan (parse + validate) ${rows}`, rows, performance.now() - started));
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-bench-import-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true });
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
    const { token } = (await login.json()) as { token: string };
    const post = async (csv: string, dryRun: boolean) => {
      const response = await fetch(`${server.url}/api/v1/jobs/import${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
      return ImportReport.parse(await response.json());
    };
    const { csv, rows } = generatedAccountsCsv(3750);
    for (const [name, dryRun] of [['dry run over HTTP', true], ['import over HTTP (new jobs)', false], ['re-import over HTTP (unchanged)', false]] as const) {
      const started = performance.now();
      const report = await post(csv, dryRun);
      figures.push(figure(`${name} ${rows}`, report.counts.rows, performance.now() - started));
    }
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/import.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/import.json');
}

void main();
