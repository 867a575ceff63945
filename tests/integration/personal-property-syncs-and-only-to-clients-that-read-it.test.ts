import 'fake-indexeddb/auto';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import type { PersonalPropertyEntry, PersonalPropertyEvent } from '../../shared/domain/personal-property';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, PullResponse, PushResponse, type Mutation } from '../../shared/sync/protocol';
import { JobPersonalProperty } from '../../server/visits/personal-property-routes';
import { ReclaimDatabase } from '../../renderer/db/schema';
import { saveStoredSession } from '../../renderer/db/session-repository';
import { PersonalPropertyRepository } from '../../renderer/features/capture/personal-property-repository';
import type { PreparedImage } from '../../renderer/features/capture/photo-pipeline';
import { createApiClient } from '../../renderer/sync/api-client';
import { createBlobApi } from '../../renderer/sync/blob-api';
import { BlobQueue } from '../../renderer/sync/blob-queue';
import { SyncEngine } from '../../renderer/sync/engine';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Belongings found with the equipment are recorded offline like the rest of the door work, reach
 * the server once however often they are sent, reach the agent's other devices and the office,
 * and are never sent to an app that speaks a protocol too old to read them.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

function photo(): PreparedImage {
  const bytes = randomBytes(2048);
  return { blob: new Blob([bytes], { type: 'image/jpeg' }), sha256: createHash('sha256').update(bytes).digest('hex'), width: 800, height: 600, thumbnail: null, capturedAt: null };
}

async function laptop(username: string) {
  const db = new ReclaimDatabase(`property-${newId()}`);
  const login = await server.login(username);
  await saveStoredSession(db, { user: login.user, expiresAt: login.expiresAt, serverUrl: server.url });
  const getToken = async () => login.token;
  const blobs = new BlobQueue(db, createBlobApi({ baseUrl: server.url, getToken }));
  const engine = new SyncEngine({ db, api: createApiClient({ baseUrl: server.url, getToken }), blobs });
  return { db, engine, login, property: new PersonalPropertyRepository(db) };
}

async function pull(token: string, protocol: string) {
  const answer = await server.api('/api/v1/sync/pull?limit=1000', { token, protocol });
  expect(answer.status).toBe(200);
  return PullResponse.parse(answer.body);
}

/** Every page from `cursor` to the end, as one client keeping the cursor would pull them. */
async function pullAll(token: string, protocol: string, cursor: string, limit: number) {
  const pages: PullResponse[] = [];
  for (let at = cursor; ; ) {
    const answer = await server.api(`/api/v1/sync/pull?cursor=${at}&limit=${limit}`, { token, protocol });
    expect(answer.status).toBe(200);
    const page = PullResponse.parse(answer.body);
    pages.push(page);
    at = page.cursor;
    if (!page.hasMore) return { pages, changes: pages.flatMap((each) => each.changes), cursor: at };
  }
}

function idOf(change: PullResponse['changes'][number]): string {
  return `${change.entity}:${change.entity === 'jobRemoval' ? change.id : change.data.id}`;
}

function propertyKinds(page: PullResponse): string[] {
  return page.changes.flatMap((change) => (change.entity === 'personalProperty' || change.entity === 'personalPropertyEvent' ? [change.entity] : []));
}

function envelope(deviceId: string, clock: HybridLogicalClock) {
  return { id: newId(), deviceId, clientTime: new Date().toISOString(), hlc: clock.now(), op: 'create' as const };
}

async function push(token: string, deviceId: string, mutations: readonly Mutation[]) {
  const answer = await server.api('/api/v1/sync/push', { token, protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId, mutations } });
  expect(answer.status).toBe(200);
  return PushResponse.parse(answer.body).results;
}

async function assignedJob(db: ReclaimDatabase) {
  const job = (await db.jobs.toArray()).find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  if (!job) throw new Error('the demo agent needs an assigned job');
  return job;
}

describe('personal property found at the door', () => {
  it('syncs from the laptop that recorded it to the agent’s other laptop and the office', async () => {
    const first = await laptop('agent1');
    await first.engine.syncOnce();
    const job = await assignedJob(first.db);
    const [item] = job.items;
    if (!item) throw new Error('an item');

    const entry = await first.property.recordFound({ jobId: job.id, itemId: item.id, description: 'A wallet with a driver’s licence', foundWhere: 'in the laptop bag’s front pocket', images: [photo()], place: null });
    const stored = await first.property.recordEvent({ propertyId: entry.id, fate: { kind: 'stored', location: 'Warehouse shelf B4, bag 17' }, place: null });
    await first.engine.syncOnce();
    expect(await first.db.outbox.count()).toBe(0);

    const second = await laptop('agent1');
    await second.engine.syncOnce();
    expect(await second.db.personalProperty.get(entry.id)).toEqual(entry);
    expect(await second.db.personalPropertyEvents.get(stored.id)).toEqual(stored);
    expect((await second.db.photos.where('jobId').equals(job.id).toArray()).filter((row) => row.subjectId === entry.id)).toHaveLength(1);

    const dispatcher = await server.login('dispatcher1');
    const office = await server.api(`/api/v1/jobs/${job.id}/personal-property`, { token: dispatcher.token });
    expect(office.status).toBe(200);
    const record = JobPersonalProperty.parse(office.body);
    expect(record.property).toHaveLength(1);
    expect(record.property[0]).toMatchObject({ entry: { id: entry.id, itemId: item.id, photoHashes: entry.photoHashes }, status: 'stored', location: 'Warehouse shelf B4, bag 17', conflictingEventIds: [] });
    expect(propertyKinds(await pull(dispatcher.token, String(PROTOCOL_VERSION)))).toEqual(expect.arrayContaining(['personalProperty', 'personalPropertyEvent']));

    // Handed back later from the other laptop, signed for: the signature travels first, then the return.
    const signature = photo();
    const returned = await second.property.recordEvent({
      propertyId: entry.id,
      fate: { kind: 'returned', returnedTo: 'Ada Vance', method: 'collected_by_customer', signatureHash: null },
      place: null,
      signature: { signerName: 'Ada Vance', statement: 'I received back my belongings: a wallet.', image: { ...signature, blob: new Blob([await signature.blob.arrayBuffer()], { type: 'image/png' }) } },
    });
    expect(returned).toMatchObject({ kind: 'returned', signatureHash: signature.sha256 });
    await expect(second.property.recordEvent({ propertyId: entry.id, fate: { kind: 'stored', location: 'Shelf A1' }, place: null })).rejects.toThrow('already returned');
    await second.engine.syncOnce();
    expect(await second.db.outbox.count()).toBe(0);
    const after = JobPersonalProperty.parse((await server.api(`/api/v1/jobs/${job.id}/personal-property`, { token: dispatcher.token })).body);
    expect(after.property[0]).toMatchObject({ status: 'returned', events: [{ kind: 'stored' }, { kind: 'returned', returnedTo: 'Ada Vance', signatureHash: signature.sha256 }] });
  });

  it('is stored once however often the same push is sent', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const job = await assignedJob(agent.db);
    const clock = new HybridLogicalClock('agent1-retry');
    const data: PersonalPropertyEntry = { id: newId(), jobId: job.id, itemId: null, description: 'Two framed photographs', foundWhere: 'on top of the copier', photoHashes: [], foundAt: new Date().toISOString(), place: null, byUserId: agent.login.user.id };
    const mutation: Mutation = { ...envelope('agent1-retry', clock), entity: 'personalProperty', data };
    expect((await push(agent.login.token, 'agent1-retry', [mutation]))[0]).toMatchObject({ outcome: 'applied' });
    expect((await push(agent.login.token, 'agent1-retry', [mutation]))[0]).toMatchObject({ outcome: 'duplicate' });
    // The same record under a new mutation id is a different claim on an existing id: refused.
    expect((await push(agent.login.token, 'agent1-retry', [{ ...mutation, id: newId() }]))[0]).toMatchObject({ outcome: 'rejected', code: 'invalid' });
    const record = JobPersonalProperty.parse((await server.api(`/api/v1/jobs/${job.id}/personal-property`, { token: agent.login.token })).body);
    expect(record.property.filter((found) => found.entry.id === data.id)).toHaveLength(1);
  });

  it('is refused for a job the agent never held', async () => {
    const owner = await laptop('agent1');
    await owner.engine.syncOnce();
    const job = await assignedJob(owner.db);
    const intruder = await server.login('agent3');
    const clock = new HybridLogicalClock('agent3-laptop');
    const data: PersonalPropertyEntry = { id: newId(), jobId: job.id, itemId: null, description: 'A set of keys', foundWhere: 'in the van', photoHashes: [], foundAt: new Date().toISOString(), place: null, byUserId: intruder.user.id };
    const [result] = await push(intruder.token, 'agent3-laptop', [{ ...envelope('agent3-laptop', clock), entity: 'personalProperty', data }]);
    expect(result).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    const record = JobPersonalProperty.parse((await server.api(`/api/v1/jobs/${job.id}/personal-property`, { token: (await server.login('dispatcher1')).token })).body);
    expect(record.property.map((found) => found.entry.id)).not.toContain(data.id);
  });

  it('waits for its entry, and flags the job when two devices record different fates', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const job = await assignedJob(agent.db);
    const clock = new HybridLogicalClock('agent1-fates');
    const byUserId = agent.login.user.id;
    const entry: PersonalPropertyEntry = { id: newId(), jobId: job.id, itemId: null, description: 'A toolbox', foundWhere: 'in the vehicle’s trunk', photoHashes: [], foundAt: '2025-03-04T10:00:00.000Z', place: null, byUserId };
    const base = { propertyId: entry.id, jobId: job.id, place: null, note: '', byUserId };
    const returned: PersonalPropertyEvent = { ...base, id: newId(), kind: 'returned', at: '2025-03-04T10:05:00.000Z', returnedTo: 'Ada Vance', method: 'handed_over', signatureHash: null };
    const stored: PersonalPropertyEvent = { ...base, id: newId(), kind: 'stored', at: '2025-03-04T11:00:00.000Z', location: 'Warehouse shelf C1' };

    const early = await push(agent.login.token, 'agent1-fates', [{ ...envelope('agent1-fates', clock), entity: 'personalPropertyEvent', data: returned }]);
    expect(early[0]).toMatchObject({ outcome: 'rejected', code: 'chain_waiting' });
    const results = await push(agent.login.token, 'agent1-fates', [
      { ...envelope('agent1-fates', clock), entity: 'personalProperty', data: entry },
      { ...envelope('agent1-fates', clock), entity: 'personalPropertyEvent', data: returned },
      { ...envelope('agent1-fates', clock), entity: 'personalPropertyEvent', data: stored },
    ]);
    expect(results.map((result) => [result.outcome, result.code])).toEqual([['applied', null], ['applied', null], ['applied', 'flagged']]);

    const dispatcher = await server.login('dispatcher1');
    const record = JobPersonalProperty.parse((await server.api(`/api/v1/jobs/${job.id}/personal-property`, { token: dispatcher.token })).body);
    expect(record.property.find((found) => found.entry.id === entry.id)).toMatchObject({ status: 'returned', conflictingEventIds: [stored.id] });
    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: dispatcher.token })).body);
    expect(detail.job.reviewReason).toMatch(/Personal property “A toolbox” has records that disagree/);
  });

  it('is never sent to an app that declares protocol 1, which still moves past it', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const job = await assignedJob(agent.db);
    await agent.property.recordFound({ jobId: job.id, itemId: null, description: 'A phone charger', foundWhere: 'plugged into the modem', images: [], place: null });
    await agent.engine.syncOnce();

    const current = await pull(agent.login.token, String(PROTOCOL_VERSION));
    const old = await pull(agent.login.token, '1');
    expect(propertyKinds(current).length).toBeGreaterThan(0);
    expect(propertyKinds(old)).toEqual([]);
    // The same place in the log; the leading zero says the cursor was read at protocol 1.
    expect(old.cursor).toBe(`0${current.cursor}`);
    expect(old.changes.length).toBe(current.changes.length - propertyKinds(current).length);
  });

  it('reaches a protocol-1 app page by page with every other change, and all of it once the app is updated', async () => {
    const agent = await laptop('agent1');
    await agent.engine.syncOnce();
    const job = await assignedJob(agent.db);
    // Older belongings first, then work an old app reads, so the log mixes both kinds.
    await agent.property.recordFound({ jobId: job.id, itemId: null, description: 'A laptop sleeve', foundWhere: 'under the desk', images: [], place: null });
    await agent.property.recordFound({ jobId: job.id, itemId: null, description: 'A desk lamp', foundWhere: 'beside the printer', images: [], place: null });
    await agent.engine.syncOnce();
    const clock = new HybridLogicalClock('agent1-mixed');
    const note = { id: newId(), jobId: job.id, text: 'Customer asked for a call first', at: new Date().toISOString(), byUserId: agent.login.user.id };
    expect((await push(agent.login.token, 'agent1-mixed', [{ ...envelope('agent1-mixed', clock), entity: 'jobNote', data: note }]))[0]).toMatchObject({ outcome: 'applied' });

    const everything = await pullAll(agent.login.token, String(PROTOCOL_VERSION), '0', 1000);
    const isProperty = (change: PullResponse['changes'][number]) => change.entity === 'personalProperty' || change.entity === 'personalPropertyEvent';
    const readable = everything.changes.filter((change) => !isProperty(change));
    const missed = everything.changes.filter(isProperty).map(idOf);
    expect(missed.length).toBeGreaterThanOrEqual(2);

    // An app still at protocol 1, three changes a page: every change it can read, each once, in order.
    const old = await pullAll(agent.login.token, '1', '0', 3);
    expect(old.changes.map(idOf)).toEqual(readable.map(idOf));
    expect(old.pages.every((page) => /^0[1-9]\d*$/.test(page.cursor))).toBe(true);

    // The same laptop, updated, goes on from the cursor it kept: the belongings it skipped arrive.
    const updated = await pullAll(agent.login.token, String(PROTOCOL_VERSION), old.cursor, 1000);
    expect(updated.changes.map(idOf)).toEqual(expect.arrayContaining(missed));
    expect(updated.cursor).toBe(everything.cursor);
    // And from then on its cursor is a plain one: nothing is sent twice again.
    const after = await pullAll(agent.login.token, String(PROTOCOL_VERSION), updated.cursor, 1000);
    expect(after.changes).toEqual([]);

    // A laptop that never spoke protocol 1 is not sent anything again.
    const current = await pullAll(agent.login.token, String(PROTOCOL_VERSION), everything.cursor, 1000);
    expect(current.changes).toEqual([]);
  });
});
