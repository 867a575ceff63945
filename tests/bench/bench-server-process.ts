/**
 * One Reclaim server in a process of its own, for the load bench: the same startServer as
 * `npm run server`, with the sign-in throttle opened wide (the bench signs in hundreds of times)
 * and the demo organisation. Started by tests/bench/server-load.bench.ts, never by hand:
 *   node --import tsx tests/bench/bench-server-process.ts DATA_DIR [DATABASE_URL]
 * with RECLAIM_KEY_ENCRYPTION_KEY set (every instance of one database shares it). Prints one line
 * of JSON, {"url": …}, once it listens; stops on SIGTERM.
 */
import { startServer } from '../../server/main';

const [dataDir, databaseUrl] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: bench-server-process.ts DATA_DIR [DATABASE_URL]');
const generous = { freeFailures: 1_000_000, baseLockMs: 1, maxLockMs: 1 };
const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  databaseUrl: databaseUrl || undefined,
  demo: true,
  logger: false,
  loginThrottle: { account: generous, address: generous, forgetAfterMs: 1 },
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
