import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';

/** The sync route whose success counts as "this laptop synced". */
const PULL_ROUTE = '/api/v1/sync/pull';

/**
 * Records, after each successful pull, when that user's laptop last synced. It watches the
 * pull route from the outside so sync stays unaware of the dispatch map; a failed write here
 * is logged and never turns a good pull into an error (the answer has already gone).
 */
export function recordLastSyncOnPull(app: FastifyInstance, db: Kysely<Database>, now: () => string): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== PULL_ROUTE || reply.statusCode !== 200 || !request.principal) return;
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
  });
}
