import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { demoStaff } from '../server/demo/demo-catalogue';
import type { RunningServer, StartStep } from '../server/main';
import { buildElectron, buildRenderer, type BuildOutcome } from './build-app';
import { electronBinary } from './electron-binary';
import { printDemoSignIns } from './start-sign-ins';
import { StartProgress } from './start-progress';

/**
 * `npm start` (through scripts/start.mjs, which checks the install as step 1): build the app unless
 * nothing changed since the last build, open the database, seed the demo organisation on first
 * run, then open the desktop app — or, where Electron's binary is not installed, serve the same
 * app to the browser. Every step is printed as it happens.
 */
const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  data: z.string().default('data'),
});

const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' } } });
const options = Options.parse({ port: values.port ?? process.env.RECLAIM_PORT, data: values.data });

const progress = new StartProgress(4);
const binary = electronBinary();

function describeBuild(outcome: BuildOutcome): string {
  return outcome.kind === 'unchanged' ? 'App unchanged since the last build, kept' : `App built (${outcome.modules} modules)`;
}

/** Paths inside the project read better relative ("data/reclaim.sqlite"); others stay absolute. */
function shortPath(location: string): string {
  const relative = path.relative(process.cwd(), location);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? location : relative;
}

function startFailed(message: string): never {
  progress.fail(message);
  process.exit(1);
}

progress.begin(2, binary ? 'Building the app and the desktop shell' : 'Building the app');
try {
  const app = await buildRenderer((detail) => progress.update(detail));
  const shell = binary ? await buildElectron() : null;
  const shellNote = shell === null ? [] : [shell.kind === 'unchanged' ? 'desktop shell unchanged, kept' : 'desktop shell built'];
  progress.end([describeBuild(app), ...shellNote].join('; '));
} catch (error) {
  startFailed(`${error instanceof Error ? error.message : String(error)}\nFix the error above, then run npm start again.`);
}

const dataDir = path.resolve(options.data);
let demo: StartStep & { step: 'demo' } = { step: 'demo', demo: 'absent' };
progress.begin(3, 'Loading the server and opening the database');
let server: RunningServer;
try {
  // Imported here so that loading the server's modules (seconds on a busy laptop) shows as this step.
  const { startServer } = await import('../server/main');
  server = await startServer({
    port: options.port,
    host: '127.0.0.1',
    dataDir,
    demo: true,
    appDir: path.resolve('dist/renderer'),
    onStep: (step) => {
      if (step.step === 'database') {
        progress.end(`${step.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'} at ${shortPath(step.location)}, up to date`);
        progress.begin(4, 'Preparing the demo organisation');
      } else {
        demo = step;
        progress.end(
          step.demo === 'created'
            ? `Demo organisation created: ${demoStaff.length} people, jobs in Chicago and four weeks of history`
            : step.demo === 'present'
              ? 'Demo organisation already there, kept as it is'
              : 'This database holds another organisation, so no demo was added',
        );
      }
    },
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  startFailed(
    code === 'EADDRINUSE'
      ? `port ${options.port} is in use by another program: stop it, or start on another port with npm start -- --port 9000.`
      : `${error instanceof Error ? error.message : String(error)}`,
  );
}

const shutdown = async (): Promise<void> => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

console.log(`\nReclaim is listening on ${server.url}/`);
if (demo.demo !== 'absent') printDemoSignIns();
if (binary) {
  console.log(`Opening the Reclaim desktop app against ${server.url}. Ctrl-C here stops the server.`);
  const electron = spawn(binary, ['.', `--server-url=${server.url}`], { stdio: 'inherit' });
  electron.on('exit', () => void shutdown());
} else {
  console.log(`Electron's binary is not installed here, so open ${server.url}/ in your browser. Ctrl-C here stops the server.`);
}
