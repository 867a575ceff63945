import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputsFingerprint } from '../../scripts/build-inputs';
import { DEMO_PASSWORD, demoStaff } from '../../server/demo/demo-catalogue';

const projectRoot = path.resolve(import.meta.dirname, '../..');

/** What a clone holds: the files git tracks, plus new ones not ignored, as they are in this checkout. */
function clonedFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: projectRoot, encoding: 'utf8' });
  return listed.split('\0').filter((file) => file !== '' && existsSync(path.join(projectRoot, file)));
}

/**
 * A copy of the project as a fresh clone has it after `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm
 * install`: no dist/, no data/, and the electron package without its binary. Dependencies are
 * links into this checkout's node_modules; electron is a copy so its missing binary is real.
 */
async function freshClone(): Promise<string> {
  const clone = await mkdtemp(path.join(os.tmpdir(), 'reclaim-start-'));
  for (const file of clonedFiles()) await cp(path.join(projectRoot, file), path.join(clone, file));
  const modules = path.join(projectRoot, 'node_modules');
  await mkdir(path.join(clone, 'node_modules'));
  for (const entry of await readdir(modules)) {
    if (entry !== 'electron') await symlink(path.join(modules, entry), path.join(clone, 'node_modules', entry));
  }
  await cp(path.join(modules, 'electron'), path.join(clone, 'node_modules', 'electron'), {
    recursive: true,
    filter: (file) => !['dist', 'path.txt'].includes(path.basename(file)),
  });
  return clone;
}

interface Started {
  readonly output: string;
  readonly url: string;
  stop(): Promise<void>;
}

/** Runs `npm start` in the clone as a person would, until it says where it listens. */
function npmStart(clone: string): Promise<Started> {
  const child: ChildProcess = spawn('npm', ['start', '--', '--port', '0', '--data', path.join(clone, 'data')], {
    cwd: clone,
    detached: true,
    env: { ...process.env, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const listening = /Reclaim is listening on (http:\/\/[^\s/]+)\//.exec(output);
      const opened = /so open http:\/\/\S+ in your browser/.test(output);
      if (listening?.[1] && opened) resolve({ output, url: listening[1], stop });
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before listening:\n${output}`)));
  });
}

describe('npm start on a fresh clone without Electron', () => {
  let clone = '';
  beforeAll(async () => {
    clone = await freshClone();
  });
  afterAll(async () => {
    await rm(clone, { recursive: true, force: true });
  });

  let firstBuildAt = 0;

  it('prints each step in order, the address and every demo sign-in, and serves the app there', async () => {
    const started = await npmStart(clone);
    try {
      const steps = ['[1/4] Install checked', '[2/4] App built', '[3/4] SQLite at', '[4/4] Demo organisation created', 'Reclaim is listening on'];
      const positions = steps.map((step) => started.output.indexOf(step));
      expect(positions.every((position) => position >= 0), started.output).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(started.output).toContain(`password ${DEMO_PASSWORD}`);
      for (const member of demoStaff) expect(started.output).toMatch(new RegExp(`^ +${member.username} +${member.role} +${member.displayName}$`, 'm'));
      const page = await fetch(`${started.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      firstBuildAt = (await stat(path.join(clone, 'dist/renderer/index.html'))).mtimeMs;
    } finally {
      await started.stop();
    }
  }, 240_000);

  it('a second start with nothing changed keeps the build and the demo as they are', async () => {
    const started = await npmStart(clone);
    try {
      expect(started.output).toContain('[2/4] App unchanged since the last build, kept');
      expect(started.output).toContain('[4/4] Demo organisation already there');
      expect(started.output).toContain('demo1234');
      expect((await stat(path.join(clone, 'dist/renderer/index.html'))).mtimeMs).toBe(firstBuildAt);
    } finally {
      await started.stop();
    }
  }, 240_000);
});

describe('npm start on a clone whose node_modules is behind package-lock.json', () => {
  it('stops at the install check and says to run npm install, before building anything', async () => {
    const clone = await mkdtemp(path.join(os.tmpdir(), 'reclaim-start-stale-'));
    try {
      for (const source of ['scripts', 'package.json', 'package-lock.json']) await cp(path.join(projectRoot, source), path.join(clone, source), { recursive: true });
      await mkdir(path.join(clone, 'node_modules'));
      const modules = path.join(projectRoot, 'node_modules');
      for (const entry of await readdir(modules)) {
        if (entry !== 'zod') await symlink(path.join(modules, entry), path.join(clone, 'node_modules', entry));
      }
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn('npm', ['start'], { cwd: clone, stdio: ['ignore', 'pipe', 'pipe'] });
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
      });
      expect(code).toBe(1);
      expect(output).toContain('[1/4] Install check failed: node_modules does not match package-lock.json (not installed: zod): run npm install');
      expect(output).not.toContain('[2/4]');
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  });
});

describe('the build fingerprint', () => {
  it('changes when a file is edited, added or removed, and only then', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'reclaim-fingerprint-'));
    try {
      await mkdir(path.join(folder, 'src/ui'), { recursive: true });
      await writeFile(path.join(folder, 'src/ui/a.ts'), 'export const a = 1;\n');
      await writeFile(path.join(folder, 'lock.json'), '{}\n');
      const inputs = [path.join(folder, 'src'), path.join(folder, 'lock.json')];
      const original = await inputsFingerprint(inputs);
      expect(await inputsFingerprint(inputs)).toBe(original);

      await writeFile(path.join(folder, 'src/ui/a.ts'), 'export const a = 2;\n');
      const edited = await inputsFingerprint(inputs);
      expect(edited).not.toBe(original);

      await writeFile(path.join(folder, 'src/ui/b.ts'), '');
      const added = await inputsFingerprint(inputs);
      expect(added).not.toBe(edited);

      await rm(path.join(folder, 'src/ui/b.ts'));
      expect(await inputsFingerprint(inputs)).toBe(edited);

      await writeFile(path.join(folder, 'lock.json'), '{"lockfileVersion":3}\n');
      expect(await inputsFingerprint(inputs)).not.toBe(edited);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
