import { join } from 'node:path';
import { expect } from 'vitest';
import { LoginResponse } from '../../../shared/api/auth';
import { OrgKeyHistory, OrgSigningKeyInfo } from '../../../shared/api/trust';
import { CUSTODY_SCHEME, type CustodyEvent, type CustodyEventKind } from '../../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../../shared/custody/custody-hash';
import type { Job } from '../../../shared/domain/job';
import { newId } from '../../../shared/ids';
import { HybridLogicalClock } from '../../../shared/sync/hlc';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type MutationResult } from '../../../shared/sync/protocol';
import { trustedOrgKeys, type TrustedOrgKey } from '../../../shared/trust/org-key';
import { createDatabase, type Store } from '../../../server/store/database';
import { makeDevice, subtle, type TestDevice } from '../../fixtures/custody-chain';
import { DEMO_PASSWORD, type TestServer } from './server';

/** The server's own database, opened beside it as an auditor (or a backup) would. */
export async function withStore<T>(server: Pick<TestServer, 'store' | 'dataDir' | 'databaseUrl'>, work: (store: Store) => Promise<T>): Promise<T> {
  const store = server.store === 'sqlite' ? await createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') }) : await createDatabase({ kind: 'postgres', url: server.databaseUrl ?? '' });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export async function orgKeyOf(server: TestServer): Promise<OrgSigningKeyInfo> {
  const answer = await server.api('/api/v1/org/signing-key');
  expect(answer.status).toBe(200);
  return OrgSigningKeyInfo.parse(answer.body);
}

export async function orgKeyHistoryOf(server: TestServer): Promise<OrgKeyHistory> {
  const answer = await server.api('/api/v1/org/signing-key/history');
  expect(answer.status).toBe(200);
  return OrgKeyHistory.parse(answer.body);
}

/** The keys a verifier who pinned `fingerprint` trusts, from the server's published history. */
export async function pinned(server: TestServer, fingerprint: string): Promise<TrustedOrgKey[]> {
  return trustedOrgKeys(subtle, fingerprint, await orgKeyHistoryOf(server));
}

/** A user signed in on their laptop, which has registered its own Ed25519 key. */
export interface Laptop {
  readonly login: LoginResponse;
  readonly token: string;
  readonly userId: string;
  readonly device: TestDevice;
  push(entity: string, data: unknown): Promise<MutationResult>;
  /** Signs a custody event on this laptop's key and pushes it. */
  record(job: Job, kind: CustodyEventKind, items: readonly { itemId: string; serial: string; previousEventHash: string | null }[]): Promise<{ event: CustodyEvent; result: MutationResult }>;
  jobs(): Promise<Job[]>;
}

export async function signInOnLaptop(server: TestServer, username: string): Promise<Laptop> {
  const deviceId = `${username}-laptop`;
  const answer = await server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, deviceId } });
  expect(answer.status).toBe(200);
  const login = LoginResponse.parse(answer.body);
  const device = await makeDevice(login.user.id, deviceId);
  const clock = new HybridLogicalClock(deviceId);
  async function push(entity: string, data: unknown): Promise<MutationResult> {
    const mutation = { id: newId(), deviceId, clientTime: new Date().toISOString(), hlc: clock.now(), op: 'create', entity, data };
    const pushed = await server.api('/api/v1/sync/push', { token: login.token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId, mutations: [mutation] } });
    expect(pushed.status).toBe(200);
    const [result] = PushResponse.parse(pushed.body).results;
    if (!result) throw new Error('the server answers every mutation');
    return result;
  }
  expect(await push('deviceKey', device.key)).toMatchObject({ outcome: 'applied' });
  const me = { role: 'agent' as const, name: login.user.displayName, userId: login.user.id };
  return {
    login,
    token: login.token,
    userId: login.user.id,
    device,
    push,
    async record(job, kind, items) {
      const event = await sealCustodyEvent(subtle, device.privateKey, {
        scheme: CUSTODY_SCHEME,
        id: newId(),
        jobId: job.id,
        kind,
        at: new Date().toISOString(),
        place: null,
        from: kind === 'collected' ? { role: 'customer', name: job.customer.name, userId: null } : me,
        to: kind === 'collected' ? me : { role: 'warehouse', name: 'Wes Clerk', userId: null },
        items: [...items],
        sealNumber: null,
        photoHashes: [],
        signatureHashes: [],
        correctsEventId: null,
        note: '',
        deviceId,
        deviceKeyId: device.key.id,
        recordedByUserId: login.user.id,
      });
      return { event, result: await push('custodyEvent', event) };
    },
    async jobs() {
      const pulled = await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: login.token, protocol: true });
      return PullResponse.parse(pulled.body).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    },
  };
}

/** An open job of the laptop's user with items nobody has recorded custody for, not in `taken`. */
export async function freshJob(laptop: Laptop, taken: Set<string>): Promise<Job> {
  const job = (await laptop.jobs()).find((candidate) => candidate.items.length >= 1 && candidate.reviewReason === null && !taken.has(candidate.id));
  if (!job) throw new Error(`the demo organisation gives ${laptop.login.user.username} an open job`);
  taken.add(job.id);
  return job;
}
