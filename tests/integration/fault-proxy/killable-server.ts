import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, dropTestDatabase, testStore } from '../helpers/test-database';

const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

/**
 * The real sync server as its own process (`tsx server/cli.ts`), so a test can kill it the
 * way a power cut would (SIGKILL: no shutdown hook, no flush) and start it again on the same
 * data directory and port.
 */
export interface KillableServer {
  readonly url: string;
  readonly dataDir: string;
  /** The PostgreSQL database it runs on (RECLAIM_TEST_STORE=postgres); undefined on SQLite, in dataDir. */
  readonly databaseUrl: string | undefined;
  readonly restarts: number;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  /** Start again on the same data directory and port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

function launch(port: number, dataDir: string, databaseUrl: string | undefined): Promise<ChildProcess> {
  // The test's own store (a SQLite file in dataDir, or its PostgreSQL database) and photos on disk,
  // whatever the environment says: the test reads that store to check what the server holds.
  const { DATABASE_URL: _database, RECLAIM_S3_BUCKET: _bucket, RECLAIM_S3_ENDPOINT: _endpoint, ...env } = process.env;
  const child = spawn(tsx, ['server/cli.ts', '--port', String(port), '--data', dataDir, '--demo'], {
    cwd: repoRoot,
    env: databaseUrl === undefined ? env : { ...env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the server in a child process, and a power cut takes both.
    detached: true,
  });
  // If the test process itself dies, the server must not outlive it.
  const orphanGuard = () => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  return new Promise((ready, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start within 30 s:\n${output}`)), 30_000);
    const listen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        child.stdout?.off('data', listen);
        ready(child);
      }
    };
    child.stdout?.on('data', listen);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
}

export async function startKillableServer(): Promise<KillableServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-killable-'));
  const port = await freePort();
  const databaseUrl = testStore === 'postgres' ? await createTestDatabase(dataDir) : undefined;
  let child: ChildProcess | null = await launch(port, dataDir, databaseUrl);
  let restarts = 0;

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((done) => running.once('exit', () => done()));
    // The group id is the tsx process's pid; the server inside it dies with it.
    process.kill(-(running.pid ?? 0), 'SIGKILL');
    await exited;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    databaseUrl,
    get restarts() {
      return restarts;
    },
    kill,
    async start() {
      if (child) return;
      child = await launch(port, dataDir, databaseUrl);
      restarts += 1;
    },
    async close() {
      await kill();
      await rm(dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropTestDatabase(databaseUrl);
    },
  };
}
