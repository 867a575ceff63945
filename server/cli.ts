import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startServer } from './main';

const usage = 'Usage: npm run server -- [--port 8787] [--host 127.0.0.1] [--data ./data] [--demo] [--app dist/renderer]';

const CliOptions = z.object({
  port: z.coerce.number({ error: 'the port must be a number' }).int('the port must be a whole number').min(0).max(65535, 'the port must be 0–65535'),
  host: z.string().min(1, 'the host cannot be empty'),
  data: z.string().min(1, 'the data directory cannot be empty'),
  demo: z.boolean(),
  app: z.string().min(1).optional(),
});

function fail(message: string): never {
  process.stderr.write(`reclaim server: ${message}\n${usage}\n`);
  process.exit(2);
}

function readOptions(): z.infer<typeof CliOptions> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: './data' },
        demo: { type: 'boolean', default: false },
        app: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const parsed = CliOptions.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const options = readOptions();
  const server = await startServer({
    port: options.port,
    host: options.host,
    dataDir: options.data,
    demo: options.demo,
    ...(options.app ? { appDir: options.app } : {}),
    logger: false,
  }).catch((error: unknown) => fail(`could not start: ${error instanceof Error ? error.message : String(error)}`));
  process.stdout.write(`Reclaim sync server listening on ${server.url} (store: ${server.store}, data: ${server.dataDir})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}; finishing open requests and closing the database…\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`reclaim server: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
