import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAt, type TestServer } from './server';

/**
 * The release before this one, by commit: its server runs against the schema this release's
 * migrations leave (README "Migrations", "Rolling upgrades"). Move it at each release to the
 * commit that release was cut from. A commit, not a tag: CI clones main with its history and
 * no tags.
 */
export const PREVIOUS_RELEASE = '3582733250cf4bc2540c0ab4bc83f4ceda350264';

const repository = join(import.meta.dirname, '../../..');

/**
 * The previous release's server code (server/, shared/ and the package files, as `git archive`
 * gives them), in a temporary folder that borrows this checkout's node_modules. Without the git
 * history of that commit there is nothing to run, and that is a failure, never a skip.
 */
export async function previousReleaseSource(): Promise<{ folder: string; remove(): Promise<void> }> {
  try {
    execFileSync('git', ['-C', repository, 'cat-file', '-e', `${PREVIOUS_RELEASE}^{commit}`], { stdio: 'pipe' });
  } catch {
    throw new Error(
      `The previous release's commit ${PREVIOUS_RELEASE} is not in this checkout's git history, so its server cannot be run against the new schema. ` +
        'Clone with full history (git fetch --unshallow, or actions/checkout with fetch-depth: 0).',
    );
  }
  const folder = await mkdtemp(join(tmpdir(), 'reclaim-previous-release-'));
  const archive = execFileSync('git', ['-C', repository, 'archive', '--format=tar', PREVIOUS_RELEASE, 'server', 'shared', 'package.json', 'tsconfig.base.json', 'tsconfig.json'], { maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', folder], { input: archive });
  await symlink(await realpath(join(repository, 'node_modules')), join(folder, 'node_modules'), 'dir');
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

/**
 * Starts the previous release's server (its own CLI, through tsx, in a process of its own) on
 * `dataDir` and, when given, a PostgreSQL database, and waits for the line that says where it
 * listens.
 */
export async function startPreviousRelease(source: string, options: { dataDir: string; databaseUrl: string | undefined; demo: boolean }): Promise<TestServer> {
  const args = ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--host', '127.0.0.1', '--data', options.dataDir];
  if (options.demo) args.push('--demo');
  if (options.databaseUrl) args.push('--database-url', options.databaseUrl);
  const child = spawn(process.execPath, args, { cwd: source, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the previous release's server did not start within 120 s:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(output);
      if (listening?.[1]) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the previous release's server exited (${String(code)}) before it listened:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    dataDir: options.dataDir,
    store: options.databaseUrl ? 'postgres' : 'sqlite',
    databaseUrl: options.databaseUrl,
    advanceClock: () => {
      throw new Error('the previous release runs on its own clock');
    },
    ...apiAt(url),
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
