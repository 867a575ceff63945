import { z } from 'zod';
import { CHECKPOINT_PROTOCOL_VERSION, PROTOCOL_HEADER, PullQuery, PullResponse, PushRequest, PushResponse } from '../../shared/sync/protocol';
import type { ServerContext } from '../context';
import { nowIso } from '../context';
import type { ApiRouter } from '../http/api-router';
import { requireSupportedProtocolVersion } from '../http/protocol-guard';
import { pullChanges } from './pull';
import { applyPushBatch } from './push';
import { SYNC_PUSH_BODY_LIMIT } from '../security/body-limits';
import { doorServices } from '../visits/door-services';
import { custodyLog } from '../trust/custody-log';

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
    // Any integer is let through here so an old version gets 426 "update the app", not a 400.
    body: PushRequest.extend({ protocolVersion: z.number().int() }),
    response: { status: 200, description: 'One result per mutation, in order', schema: PushResponse },
    handler: async ({ body, principal }) => {
      requireSupportedProtocolVersion(body.protocolVersion);
      const at = nowIso(context);
      // One transaction per batch: a crash mid-batch leaves nothing half-applied, and the
      // client's retry then finds either all of it or none of it remembered.
      const results = await db.transaction().execute((trx) => applyPushBatch({ db: trx, principal, at, clock: context.clock, door }, body));
      return { results, serverTime: at };
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
    response: { status: 200, description: 'A page of changes and the next cursor', schema: PullResponse },
    // The header was checked by the protocol guard; it says which change kinds the client reads.
    handler: async ({ query, principal, request }) => {
      const protocolVersion = Number(request.headers[PROTOCOL_HEADER]);
      const page = await db.transaction().execute((trx) => pullChanges(trx, principal, query, nowIso(context), protocolVersion));
      if (protocolVersion < CHECKPOINT_PROTOCOL_VERSION) return page;
      // Signed after the page was read, so it covers at least every custody event the page carries.
      return { ...page, checkpoint: (await custodyLog(db).signedCheckpoint(context)).checkpoint };
    },
  });
}
