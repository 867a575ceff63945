import { z } from 'zod';
import { CHECKPOINT_PROTOCOL_VERSION, PROTOCOL_HEADER, PULL_NEXT_CURSOR_HEADER, PullQuery, PullResponse, PushRequest, PushResponse } from '../../shared/sync/protocol';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { requireSupportedProtocolVersion } from '../http/protocol-guard';
import { pullChanges } from './pull';
import { applyPushBatch } from './push';
import { SYNC_PUSH_BODY_LIMIT } from '../security/body-limits';
import { doorServices } from '../visits/door-services';
import { custodyLog } from '../trust/custody-log';
import { writeTransaction } from '../store/change-log';
import { againIfStale } from '../store/prepared-statements';
import { auditLineInTransaction } from '../supervise/audit-log';

/** Re-runs of a batch that lost a race with its own copy, before answering 409. */
const RACE_ATTEMPTS = 4;

/**
 * The failures a concurrent copy of the same batch causes: a unique violation on the mutation
 * memory or on a record the copy inserted (PostgreSQL 23505, SQLite's constraint codes), or the
 * database rolling one of two waiting transactions back (deadlock 40P01, serialization 40001).
 */
function isRaceWithACopy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === '40P01' ||
    code === '40001' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_BUSY'
  );
}

export function registerSyncRoutes(api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;
  const door = doorServices(context);

  api.route({
    method: 'POST',
    url: '/api/v1/sync/push',
    summary: 'Send outbox mutations; each is applied once, however often it is sent',
    tag: 'sync',
    action: 'sync.push',
    syncProtocol: true,
    bodyLimit: SYNC_PUSH_BODY_LIMIT,
    problems: [409],
    // Any integer is let through here so an old version gets 426 "update the app", not a 400.
    body: PushRequest.extend({ protocolVersion: z.number().int() }),
    response: { status: 200, description: 'One result per mutation, in order', schema: PushResponse },
    handler: async ({ body, principal, reply, request }) => {
      requireSupportedProtocolVersion(body.protocolVersion);
      const at = nowIso(context);
      const audit = auditLineInTransaction(context, request);
      // One transaction per batch: a crash mid-batch leaves nothing half-applied, and the
      // client's retry then finds either all of it or none of it remembered.
      // Its audit line goes in with it: one commit a push, not two (auditLineInTransaction).
      const apply = () =>
        writeTransaction(db, async (trx) => {
          const results = await applyPushBatch({ db: trx, principal, at, clock: context.clock, door }, body);
          await audit.write(trx);
          return results;
        });
      for (let attempt = 1; ; attempt += 1) {
        try {
          const results = await againIfStale(apply);
          audit.committed();
          return { results, serverTime: at };
        } catch (error) {
          if (!isRaceWithACopy(error)) throw error;
          // A copy of this batch (a retry whose first send is still running, here or at another
          // instance) committed the same mutations first: ours rolled back whole. Run it again:
          // it now reads the copy's remembered outcomes and answers 'duplicate', like any retry.
          if (attempt < RACE_ATTEMPTS) continue;
          // Still undecided (the copy keeps colliding): nothing of ours was kept, so the client
          // sends it again later and gets the remembered answers then.
          void reply.header('retry-after', '1');
          throw problems.conflict('Another copy of this batch is being applied right now. Nothing was lost; send it again in a moment.');
        }
      }
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/sync/pull',
    summary: 'Changes visible to this user after the cursor',
    tag: 'sync',
    action: 'sync.pull',
    syncProtocol: true,
    query: PullQuery,
    response: {
      status: 200,
      description: 'A page of changes and the next cursor',
      schema: PullResponse,
      headers: { [PULL_NEXT_CURSOR_HEADER]: "On a page with more to come: the next page's cursor, the same as the body's, so the next page can be asked for before this one is read." },
    },
    // The header was checked by the protocol guard; it says which change kinds the client reads.
    handler: async ({ query, principal, request, reply }) => {
      const protocolVersion = Number(request.headers[PROTOCOL_HEADER]);
      const answer = await againIfStale(() => db.transaction().execute(async (trx) => {
        const page = await pullChanges(trx, principal, query, nowIso(context), protocolVersion);
        if (protocolVersion < CHECKPOINT_PROTOCOL_VERSION) return page;
        // Signed after the page was read, so it covers at least every custody event the page
        // carries; in the page's own transaction, so a pull costs one transaction, not two.
        return { ...page, checkpoint: (await custodyLog(trx).signedCheckpoint(context)).checkpoint };
      }));
      // The next page can be asked for from the headers alone (see PULL_NEXT_CURSOR_HEADER).
      if (answer.hasMore) void reply.header(PULL_NEXT_CURSOR_HEADER, answer.cursor);
      return answer;
    },
  });
}
