import { expect } from 'vitest';
import { LoginResponse } from '../../../shared/api/auth';
import { CUSTODY_SCHEME, type CustodyEvent, type CustodyEventContent, type CustodyEventKind } from '../../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../../shared/custody/custody-hash';
import { ReviewList } from '../../../shared/dispatch/dispatch-api';
import type { Job } from '../../../shared/domain/job';
import { newId } from '../../../shared/ids';
import { HybridLogicalClock } from '../../../shared/sync/hlc';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type MutationResult } from '../../../shared/sync/protocol';
import { CustodyRejectionList } from '../../../server/custody/custody-routes';
import { makeDevice, subtle, type TestDevice } from '../../fixtures/custody-chain';
import { DEMO_PASSWORD, type TestServer } from './server';

/** Raw mutations, as any client (hostile or not) might send them; the server validates each one. */
export type Sent = { id: string } & Record<string, unknown>;

export interface PushedItem {
  readonly itemId: string;
  readonly serial: string;
  readonly previousEventHash: string | null;
}

/**
 * One user signed in on one laptop over real HTTP, with that laptop's own registered Ed25519
 * key: pushes raw mutations as the app's outbox does, and signs custody events with its key.
 */
export interface SignedInLaptop {
  readonly login: LoginResponse;
  readonly userId: string;
  readonly deviceId: string;
  readonly device: TestDevice;
  mutation(entity: string, data: unknown): Sent;
  push(...mutations: Sent[]): Promise<MutationResult[]>;
  pushOne(entity: string, data: unknown): Promise<MutationResult>;
  /** Signs an event with this laptop's key; `content` overrides any field before signing. */
  sign(jobId: string, kind: CustodyEventKind, items: readonly PushedItem[], content?: Partial<CustodyEventContent>): Promise<CustodyEvent>;
  /** Signs and pushes an event, answering the server's verdict on it. */
  record(jobId: string, kind: CustodyEventKind, items: readonly PushedItem[], content?: Partial<CustodyEventContent>): Promise<{ event: CustodyEvent; result: MutationResult }>;
  jobs(): Promise<Job[]>;
}

/**
 * Signs in as the app does on a laptop: `registerKey` (the default) registers the laptop's
 * signing key, offered with the sign-in (`keyAtSignIn`, as the app does) or pushed after it.
 */
export async function signInOnLaptop(
  server: TestServer,
  username: string,
  deviceId = `${username}-laptop`,
  options: { registerKey?: boolean; keyAtSignIn?: boolean } = {},
): Promise<SignedInLaptop> {
  const offered = options.keyAtSignIn ? await makeDevice('', deviceId) : null;
  const deviceKey = offered ? { id: offered.key.id, algorithm: offered.key.algorithm, publicKey: offered.key.publicKey, createdAt: offered.key.createdAt } : undefined;
  const answer = await server.api('/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD, deviceId, ...(deviceKey ? { deviceKey } : {}) } });
  expect(answer.status, `${username} signs in on ${deviceId}`).toBe(200);
  const login = LoginResponse.parse(answer.body);
  const device = offered ? { ...offered, key: { ...offered.key, userId: login.user.id } } : await makeDevice(login.user.id, deviceId);
  const clock = new HybridLogicalClock(deviceId.replace(/[^A-Za-z0-9_-]/g, '-'));
  const mutation = (entity: string, data: unknown): Sent => ({ id: newId(), deviceId, clientTime: new Date().toISOString(), hlc: clock.now(), op: 'create', entity, data });

  async function push(...mutations: Sent[]): Promise<MutationResult[]> {
    const pushed = await server.api('/api/v1/sync/push', { token: login.token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId, mutations } });
    expect(pushed.status).toBe(200);
    return PushResponse.parse(pushed.body).results;
  }
  async function pushOne(entity: string, data: unknown): Promise<MutationResult> {
    const [result] = await push(mutation(entity, data));
    if (!result) throw new Error('the server answers every mutation');
    return result;
  }
  async function sign(jobId: string, kind: CustodyEventKind, items: readonly PushedItem[], content: Partial<CustodyEventContent> = {}): Promise<CustodyEvent> {
    const me = { role: 'agent' as const, name: login.user.displayName, userId: login.user.id };
    return sealCustodyEvent(subtle, device.privateKey, {
      scheme: CUSTODY_SCHEME,
      id: newId(),
      jobId,
      kind,
      at: new Date().toISOString(),
      place: null,
      from: kind === 'collected' ? { role: 'customer', name: 'Dana Customer', userId: null } : me,
      to: kind === 'collected' ? me : { role: 'warehouse', name: 'Wes Clerk', userId: null },
      items: [...items],
      sealNumber: null,
      photoHashes: [],
      signatureHashes: [],
      correctsEventId: null,
      note: '',
      deviceId: device.key.deviceId,
      deviceKeyId: device.key.id,
      recordedByUserId: login.user.id,
      ...content,
    });
  }

  const laptop: SignedInLaptop = {
    login,
    userId: login.user.id,
    deviceId,
    device,
    mutation,
    push,
    pushOne,
    sign,
    async record(jobId, kind, items, content) {
      const event = await sign(jobId, kind, items, content);
      return { event, result: await pushOne('custodyEvent', event) };
    },
    async jobs() {
      const pulled = await server.api('/api/v1/sync/pull?cursor=0&limit=1000', { token: login.token, protocol: true });
      return PullResponse.parse(pulled.body).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    },
  };
  if (options.registerKey !== false && !options.keyAtSignIn) expect(await pushOne('deviceKey', device.key)).toMatchObject({ outcome: 'applied' });
  return laptop;
}

/** An item's first custody event names no predecessor. */
export function firstOf(item: { id: string; serial: string }): PushedItem {
  return { itemId: item.id, serial: item.serial, previousEventHash: null };
}

/** The same item, continuing from `event`. */
export function after(event: CustodyEvent, item: { itemId: string; serial: string }): PushedItem {
  return { itemId: item.itemId, serial: item.serial, previousEventHash: event.hash };
}

/** An open job of this laptop's user with at least `items` items nobody has recorded custody for yet. */
export async function openJobWith(laptop: SignedInLaptop, items: number, taken: Set<string>): Promise<Job> {
  const job = (await laptop.jobs()).find((candidate) => candidate.items.length >= items && candidate.reviewReason === null && !taken.has(candidate.id));
  if (!job) throw new Error(`the demo organisation gives ${laptop.login.user.username} an open job with ${items} items`);
  taken.add(job.id);
  return job;
}

/** A refusal from the chain: the code, a sentence that names the rule, and nothing applied. */
export function expectRefused(result: MutationResult, code: NonNullable<MutationResult['code']>, words: RegExp): void {
  expect(result).toMatchObject({ outcome: 'rejected', code });
  expect(result.reason).toMatch(words);
}

/**
 * Nothing refused is lost: the office reads the refused event, who sent it and why beside the
 * job, and the job is in the dispatcher's review inbox with the reason.
 */
export async function expectKeptAsideAndFlagged(server: TestServer, officeToken: string, event: CustodyEvent, by: SignedInLaptop, code: string): Promise<void> {
  const kept = await server.api(`/api/v1/jobs/${event.jobId}/custody/rejections`, { token: officeToken });
  expect(kept.status).toBe(200);
  const rejection = CustodyRejectionList.parse(kept.body).rejections.find((entry) => entry.event.id === event.id);
  expect(rejection, `event ${event.id} is kept aside`).toMatchObject({ pushedByUserId: by.userId, deviceId: by.deviceId, code });
  expect(rejection?.event).toEqual(event);
  const inbox = ReviewList.parse((await server.api('/api/v1/review-inbox', { token: officeToken })).body);
  const flagged = inbox.jobs.find((job) => job.id === event.jobId);
  expect(flagged?.reviewReason).toContain(`A custody record sent by ${by.login.user.displayName} was refused`);
  expect(flagged?.reviewReason).toContain(rejection?.reason ?? '(no reason)');
}
