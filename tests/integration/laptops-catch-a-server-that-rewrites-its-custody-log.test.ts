import 'fake-indexeddb/auto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginResponse } from '../../shared/api/auth';
import { fromHex, toHex } from '../../shared/custody/crypto-port';
import { newId } from '../../shared/ids';
import { checkTree, treeHash, type Hash } from '../../shared/trust/merkle-log';
import { fromBase64 } from '../../shared/trust/strict-bytes';
import { createDatabase, type Store } from '../../server/store/database';
import { ensureDeviceId } from '../../renderer/db/device';
import { readMeta } from '../../renderer/db/meta';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { CustodyRecorder } from '../../renderer/features/custody/custody-recorder';
import { createApiClient, type SyncApi } from '../../renderer/sync/api-client';
import { SyncEngine } from '../../renderer/sync/engine';
import { pinOrganisationKey } from '../../renderer/sync/org-trust';
import { SyncError } from '../../renderer/sync/sync-error';
import { subtle } from '../fixtures/custody-chain';
import { DEMO_PASSWORD, startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 3: a server that rewrites its custody log is caught by its own laptops. The
 * app's sync engine, on a real IndexedDB implementation, against the real server: the laptop's
 * checkpoint advances only with a consistency proof it has checked; once the server's stored
 * log is changed underneath, the next pull raises the alarm and the laptop keeps what it held.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function openStore(): Promise<Store> {
  if (server.store === 'sqlite') return createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') });
  if (!server.databaseUrl) throw new Error('a PostgreSQL test server has a database URL');
  return createDatabase({ kind: 'postgres', url: server.databaseUrl });
}

/** A laptop signed in the way the app signs in: its own device id, the organisation key pinned. */
async function laptop(username: string) {
  const db = new ReclaimDatabase(`log-watch-${newId()}`);
  const answer = await server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, deviceId: await ensureDeviceId(db) } });
  const login = LoginResponse.parse(answer.body);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const client = createApiClient({ baseUrl: server.url, getToken: async () => login.token });
  expect((await pinOrganisationKey(db, client, subtle)).outcome).toBe('pinned');
  const proofs: { from: number; to: number; proof: Hash[] }[] = [];
  const api: SyncApi = {
    ...client,
    async custodyLogConsistency(from, to) {
      const proof = await client.custodyLogConsistency(from, to);
      proofs.push({ from, to, proof });
      return proof;
    },
  };
  return { db, login, proofs, engine: new SyncEngine({ db, api }), custody: new CustodyRecorder(db, crypto.subtle) };
}

type Laptop = Awaited<ReturnType<typeof laptop>>;

async function collectOne(agent: Laptop, skip: Set<string>) {
  const job = (await agent.db.jobs.toArray()).find((candidate) => candidate.status !== 'closed' && candidate.items.some((item) => !skip.has(item.id)));
  const item = job?.items.find((candidate) => !skip.has(candidate.id));
  if (!job || !item) throw new Error('agent1 has an open job with an item left to collect');
  skip.add(item.id);
  const me = agent.login.user;
  await agent.custody.record({
    jobId: job.id,
    kind: 'collected',
    from: { role: 'customer', name: 'Dana Customer', userId: null },
    to: { role: 'agent', name: me.displayName, userId: me.id },
    items: [{ itemId: item.id, serial: item.serial }],
    place: null,
    photoHashes: [],
    signatureHashes: [],
  });
}

async function held(agent: Laptop) {
  const checkpoint = await readMeta(agent.db, 'custodyCheckpoint');
  if (!checkpoint) throw new Error('the laptop holds a checkpoint');
  return checkpoint;
}

describe('a laptop watches the custody log it syncs with', () => {
  it('advances its checkpoint with a checked consistency proof, then catches a log rewritten in the database', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const first = await held(agent);
    const demoHistory = first.size;
    expect(demoHistory).toBeGreaterThan(0);

    // The laptop records custody; the server logs the events and the next pull brings a larger checkpoint.
    const collected = new Set<string>();
    await collectOne(agent, collected);
    await collectOne(agent, collected);
    await agent.engine.syncOnce();
    const second = await held(agent);
    expect(second.size).toBe(demoHistory + 2);
    expect(agent.proofs.map(({ from, to }) => [from, to])).toEqual([[demoHistory, demoHistory + 2]]);
    const [asked] = agent.proofs;
    if (!asked) throw new Error('one proof asked');
    // The proof the laptop accepted is one anyone can check between the two signed roots.
    expect(checkTree(asked.proof, second.size, fromBase64(second.root, 'root'), first.size, fromBase64(first.root, 'root'))).toBe(true);
    expect(await readMeta(agent.db, 'custodyLogAlarm')).toBeNull();

    // Someone with the database rewrites history: one stored hash the log's root is built from.
    const store = await openStore();
    try {
      const read: number[] = [];
      await treeHash(second.size, {
        async readHashes(indexes) {
          read.push(...indexes);
          return indexes.map(() => new Uint8Array(32));
        },
      });
      const target = read[0];
      if (target === undefined) throw new Error('a root reads at least one hash');
      const row = await store.db.selectFrom('custody_log_hashes').select('hash').where('hash_index', '=', target).executeTakeFirstOrThrow();
      const forged = fromHex(row.hash);
      forged[0] = (forged[0] ?? 0) ^ 0xff;
      await store.db.updateTable('custody_log_hashes').set({ hash: toHex(forged) }).where('hash_index', '=', target).execute();
    } finally {
      await store.close();
    }

    const noticed = await agent.engine.syncOnce().then(
      () => null,
      (error: unknown) => error,
    );
    expect(noticed).toBeInstanceOf(SyncError);
    expect((noticed as SyncError).kind).toBe('custody_log');
    expect((noticed as SyncError).inWords).toMatch(/^The server's custody log no longer contains what it showed this laptop on .+: its history was rewritten\. Do not record custody until your office has checked — tell your supervisor\.$/);
    expect((await held(agent)).note).toBe(second.note);

    // The log grows on the rewritten history: no proof can join it to what the laptop holds.
    await collectOne(agent, collected);
    const still = await agent.engine.syncOnce().then(
      () => null,
      (error: unknown) => error,
    );
    expect((still as SyncError).kind).toBe('custody_log');
    expect((await held(agent)).note).toBe(second.note);
    // The row still synced: the laptop's outbox is empty, nothing was lost over the dispute.
    expect(await agent.db.outbox.count()).toBe(0);
    const alarm = await readMeta(agent.db, 'custodyLogAlarm');
    expect(alarm?.reason).toBe('rewritten');
    expect(alarm?.heldNote).toBe(second.note);
  });
});
