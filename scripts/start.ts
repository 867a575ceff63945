import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startServer } from '../server/main';
import { electronBinary } from './electron-binary';

/**
 * `npm start`: build the app, start the sync server on the embedded store (with the demo
 * organisation on first run), then open the desktop app — or, where Electron's binary is not
 * installed, serve the same app to the browser.
 */
const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8787),
  data: z.string().default('data'),
});

const { values } = parseArgs({ options: { port: { type: 'string' }, data: { type: 'string' } } });
const options = Options.parse({ port: values.port ?? process.env.RECLAIM_PORT, data: values.data });

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`"${command} ${args.join(' ')}" failed; see the output above.`);
    process.exit(result.status ?? 1);
  }
}

const binary = electronBinary();
run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
if (binary) run('npx', ['tsx', 'scripts/build-electron.ts']);

const server = await startServer({
  port: options.port,
  host: '127.0.0.1',
  dataDir: path.resolve(options.data),
  demo: true,
  appDir: path.resolve('dist/renderer'),
});

const shutdown = async (): Promise<void> => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

if (binary) {
  console.log(`Opening the Reclaim desktop app against ${server.url}`);
  const electron = spawn(binary, ['.', `--server-url=${server.url}`], { stdio: 'inherit' });
  electron.on('exit', () => void shutdown());
} else {
  console.log(`Electron's binary is not installed here, so Reclaim is served to your browser instead: open ${server.url}/`);
}
