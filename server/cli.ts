import { parseArgs } from 'node:util';
import { z } from 'zod';
import { s3ConfigFromEnv } from './blobs/s3-blob-store';
import { startServer } from './main';
import { redactDatabaseUrl } from './store/database';

const usage = [
  'Usage: npm run server -- [--port 8787] [--host 127.0.0.1] [--data ./data] [--demo] [--app dist/renderer] [--database-url postgres://…]',
  'Environment: DATABASE_URL (PostgreSQL; unset = embedded SQLite in --data), RECLAIM_S3_BUCKET and RECLAIM_S3_ENDPOINT (photos in S3; unset = --data/blobs),',
  '  RECLAIM_KEY_ENCRYPTION_KEY (32 bytes in base64 sealing the office signing keys; unset = --data/key-encryption.key, made on first start)',
].join('\n');

const CliOptions = z.object({
  port: z.coerce.number({ error: 'the port must be a number' }).int('the port must be a whole number').min(0).max(65535, 'the port must be 0–65535'),
  host: z.string().min(1, 'the host cannot be empty'),
  data: z.string().min(1, 'the data directory cannot be empty'),
  demo: z.boolean(),
  app: z.string().min(1).optional(),
  'database-url': z
    .string()
    .regex(/^postgres(ql)?:\/\//i, 'the database URL must start with postgres://')
    .optional(),
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
        'database-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  // The flag wins over DATABASE_URL; neither means the embedded SQLite store.
  const databaseUrl = values['database-url'] ?? (process.env.DATABASE_URL || undefined);
  const parsed = CliOptions.safeParse({ ...values, 'database-url': databaseUrl });
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
    databaseUrl: options['database-url'],
    s3: s3ConfigFromEnv(),
    // e.g. RECLAIM_TRUST_PROXY=10.0.0.0/8,127.0.0.1 behind a load balancer.
    trustProxy: (process.env.RECLAIM_TRUST_PROXY ?? '').split(',').map((entry) => entry.trim()).filter(Boolean),
    ...(options.app ? { appDir: options.app } : {}),
    logger: false,
  }).catch((error: unknown) => fail(`could not start: ${error instanceof Error ? error.message : String(error)}`));
  const where = options['database-url'] ? redactDatabaseUrl(options['database-url']) : server.dataDir;
  if (server.store === 'postgres' && server.keyEncryptionKey === 'file') {
    // One instance is fine; a second instance with its own key file cannot open this one's keys.
    process.stderr.write(`reclaim server: warning: office signing keys are sealed with ${server.dataDir}/key-encryption.key. Several instances on one PostgreSQL must share one key: set RECLAIM_KEY_ENCRYPTION_KEY to that file's contents on every instance.\n`);
  }
  process.stdout.write(`Reclaim sync server listening on ${server.url} (store: ${server.store}, data: ${where}, photos: ${server.blobs === 's3' ? `s3://${process.env.RECLAIM_S3_BUCKET}` : 'data folder'})\n`);

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
