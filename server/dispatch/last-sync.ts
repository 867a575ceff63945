import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
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
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== PULL_ROUTE || reply.statusCode !== 200 || !request.principal) return payload;
    const userId = request.principal.userId;
    const at = now();
    try {
      await db
        .insertInto('user_last_sync')
        .values({ user_id: userId, last_sync_at: at })
        .onConflict((conflict) => conflict.column('user_id').doUpdateSet({ last_sync_at: at }))
        .execute();
    } catch (error) {
      request.log.warn({ err: error, userId }, 'could not record the last sync time');
    }
    return payload;
  });
}
