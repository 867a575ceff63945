import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { groupWriter } from '../store/group-writer';
import type { Database } from '../store/schema';

/** The sync route whose success counts as "this laptop synced". */
const PULL_ROUTE = '/api/v1/sync/pull';

/**
 * Records, on each successful pull, when that user's laptop last synced. It watches the pull
 * route from the outside so sync stays unaware of the dispatch map. The write happens before the
 * answer goes out (onSend, not onResponse), so once a laptop has its page the office's map already
 * shows the sync; a failed write is logged and never turns a good pull into an error.
 */
export function recordLastSyncOnPull(app: FastifyInstance, db: Kysely<Database>, now: () => string): void {
  // Concurrent pulls' times share one upsert; each pull still waits for its own (see groupWriter).
  const syncs = groupWriter<{ userId: string; at: string }>(async (items) => {
    const latest = new Map<string, string>();
    for (const { userId, at } of items) if ((latest.get(userId) ?? '') < at) latest.set(userId, at);
    await db
      .insertInto('user_last_sync')
      .values([...latest].map(([userId, at]) => ({ user_id: userId, last_sync_at: at })))
      .onConflict((conflict) => conflict.column('user_id').doUpdateSet((eb) => ({ last_sync_at: eb.ref('excluded.last_sync_at') })))
      .execute();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== PULL_ROUTE || reply.statusCode !== 200 || !request.principal) return payload;
    const userId = request.principal.userId;
    try {
      await syncs.write({ userId, at: now() });
    } catch (error) {
      request.log.warn({ err: error, userId }, 'could not record the last sync time');
    }
    return payload;
  });
}
