import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { withStore } from './helpers/trust';

/**
 * A laptop lets go of a change once the server has answered its push, so a commit must be on disk
 * before the answer: a power cut afterwards must not take it back. A connection opened as the
 * server opens its own (server/store/database.ts) is asked how it commits: SQLite syncs its
 * write-ahead log at every commit (synchronous = FULL, where NORMAL left the last commits in the
 * page cache), and nothing in the server turns PostgreSQL's synchronous_commit off for speed.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it("commits the server's own store durably before a push is answered", async () => {
  await withStore(server, async (store) => {
    if (store.kind === 'sqlite') {
      const { rows: journal } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(journal[0]?.journal_mode).toBe('wal');
      // 2 is FULL; NORMAL (1) syncs the log only at checkpoints.
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      expect(rows[0]?.synchronous).toBe(2);
    } else {
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(store.db);
      expect(rows[0]?.synchronous_commit).toBe('on');
    }
  });
});
