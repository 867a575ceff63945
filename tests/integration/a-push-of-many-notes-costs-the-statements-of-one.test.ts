import { randomBytes, webcrypto } from 'node:crypto';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import type { Principal } from '../../server/auth/principal';
import { writeTransaction } from '../../server/store/change-log';
import { storeKindOf } from '../../server/store/dialect';
import type { Store } from '../../server/store/database';
import { usersRepository } from '../../server/store/users-repository';
import { loadOfficeKeyVault } from '../../server/supervise/office-key-vault';
import { applyPushBatch } from '../../server/sync/push';
import { loadOrgSigningKey } from '../../server/trust/org-signing-key';
import type { DoorServices } from '../../server/visits/door-act';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { withStore } from './helpers/trust';

/**
 * Notes are most of what laptops push. On PostgreSQL every statement is a round trip, and a push
 * that cost a few statements per note was half as fast as SQLite; so a batch's notes are applied
 * together (server/sync/apply-mutation.ts applyNotes). This counts the statements a push batch
 * sends through the server's own push code, on the server's own store (SQLite or PostgreSQL):
 * fifty notes on two jobs cost what one note costs, and on PostgreSQL that is four statements.
 */

/** Counts every statement Kysely sends through the handle it is plugged into. */
class StatementCounter implements KyselyPlugin {
  count = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

const keyEncryptionKey = randomBytes(32).toString('base64');
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ keyEncryptionKey });
});
afterAll(() => server.close());

it('applies fifty notes on two jobs in as many statements as one note', async () => {
  await withStore(server, async (store: Store) => {
    const agent = await usersRepository(store.db).findByUsername('agent1');
    if (!agent) throw new Error('the demo organisation has agent1');
    const jobIds = (
      await store.db.selectFrom('jobs').select('id').where('assigned_agent_id', '=', agent.id).where('status', 'not in', ['closed', 'cancelled']).orderBy('id').limit(2).execute()
    ).map((row) => row.id);
    expect(jobIds).toHaveLength(2);
    const principal: Principal = {
      userId: agent.id,
      username: agent.username,
      displayName: agent.displayName,
      role: agent.role,
      deviceId: 'agent1-laptop',
      tokenHash: 'not used by a push',
      signedInAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const orgKey = await loadOrgSigningKey({ db: store.db, vault: await loadOfficeKeyVault(keyEncryptionKey, server.dataDir), now: () => new Date() });
    const door: DoorServices = { blobExists: () => Promise.resolve(false), subtle: webcrypto.subtle, orgKey };
    const clock = new HybridLogicalClock('statement-count');
    const outbox = deviceOutbox('agent1-laptop');

    async function statementsToPush(notes: number): Promise<number> {
      const counter = new StatementCounter();
      const counted = store.db.withPlugin(counter);
      const mutations = Array.from({ length: notes }, (_, n) => outbox.note(jobIds[n % jobIds.length] ?? '', `Counted note ${n}`, principal.userId));
      const results = await writeTransaction(counted, (trx) => applyPushBatch({ db: trx, principal, at: new Date().toISOString(), clock, door }, outbox.push(mutations)));
      expect(results.map((result) => result.outcome)).toEqual(mutations.map(() => 'applied'));
      return counter.count;
    }

    const forOne = await statementsToPush(1);
    const forFifty = await statementsToPush(50);
    expect(forFifty).toBe(forOne);
    // Both stores read the answers remembered before and the jobs, then insert the notes whose id
    // is free (the insert says which went in). SQLite, in process, then writes the change-log
    // rows for the agent and for the office and the answers, a statement each; PostgreSQL, a
    // round trip a statement, writes the answers and the change-log rows in one (change-log.ts).
    expect(forOne).toBe(storeKindOf(store.db) === 'postgres' ? 4 : 6);
  });
});
