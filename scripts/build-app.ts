import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { inputsFingerprint, readStamp, writeStamp } from './build-inputs';

/** What a build did: skipped because nothing changed, or built (with how many modules). */
export type BuildOutcome = { readonly kind: 'unchanged' } | { readonly kind: 'built'; readonly modules: number };

interface Target {
  /** Everything the output is made from, relative to the project folder. */
  readonly inputs: readonly string[];
  /** A file the build always writes; missing means there is nothing to keep. */
  readonly output: string;
  /** Beside the output folder, not in it: Vite empties dist/renderer before each build. */
  readonly stamp: string;
}

const lockfiles = ['package.json', 'package-lock.json', 'tsconfig.base.json'];

const renderer: Target = {
  inputs: ['renderer', 'shared', ...lockfiles],
  output: 'dist/renderer/index.html',
  stamp: 'dist/renderer.inputs.json',
};

const electron: Target = {
  inputs: ['electron', 'shared', 'scripts/build-electron.ts', ...lockfiles],
  output: 'dist/electron/main.cjs',
  stamp: 'dist/electron.inputs.json',
};

/**
 * Builds when the inputs differ from those of the last build, else keeps what is on disk. The
 * stamp is written only after a build succeeds, so an interrupted build is redone next time.
 */
async function buildIfChanged(target: Target, make: (expectedModules: number) => Promise<number>): Promise<BuildOutcome> {
  const [fingerprint, stamp] = await Promise.all([inputsFingerprint(target.inputs), readStamp(target.stamp)]);
  if (stamp?.fingerprint === fingerprint && existsSync(target.output)) return { kind: 'unchanged' };
  const modules = await make(stamp?.modules ?? 0);
  await mkdir(path.dirname(target.stamp), { recursive: true });
  await writeStamp(target.stamp, { fingerprint, modules });
  return { kind: 'built', modules };
}

/**
 * The web app in dist/renderer, built in this process so progress can be counted per module;
 * `onProgress` hears "412 of ~915 modules" (the count the last build reached) while it runs.
 */
export function buildRenderer(onProgress: (detail: string) => void): Promise<BuildOutcome> {
  return buildIfChanged(renderer, async (expected) => {
    let modules = 0;
    onProgress('loading Vite');
    // Loaded only when a build is needed: importing Vite alone takes seconds on a busy laptop.
    const { build } = await import('vite');
    onProgress('reading the sources');
    await build({
      configFile: path.resolve('renderer/vite.config.ts'),
      // Warnings (chunk sizes) are for whoever changes the bundle, not for someone starting the app.
      logLevel: 'error',
      plugins: [
        {
          name: 'reclaim-start-progress',
          moduleParsed() {
            modules += 1;
            onProgress(expected > 0 ? `${modules} of ~${expected} modules` : `${modules} modules`);
          },
          // After the last module is read, minifying and writing still take a while.
          renderStart() {
            onProgress(`${modules} modules · minifying and writing dist/renderer`);
          },
        },
      ],
    });
    return modules;
  });
}

/** The Electron main process and preload in dist/electron, only where Electron can run. */
export function buildElectron(): Promise<BuildOutcome> {
  return buildIfChanged(electron, async () => {
    await runQuietly(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/build-electron.ts']);
    return 2;
  });
}

/** Runs a build command, keeping its output unless it fails, when the output is the explanation. */
function runQuietly(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`"${args.join(' ')}" exited with ${code ?? 'a signal'}:\n${Buffer.concat(output).toString('utf8')}`));
    });
  });
}
