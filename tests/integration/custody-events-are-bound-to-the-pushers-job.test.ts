import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { after, expectKeptAsideAndFlagged, expectRefused, firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 8: a custody event names only items on its job, and only on a job of the
 * user who pushes it. Each attack goes through the real push API of a real server; the refusal
 * is kept aside and flagged, and the rightful user's genuine event still applies afterwards.
 */
let server: TestServer;
let office: string;
let agent1: SignedInLaptop;
let agent2: SignedInLaptop;
let agent3: SignedInLaptop;
let job1: Job;
let job1b: Job;
let job2: Job;
let job2b: Job;

function item(job: Job, index: number) {
  const found = job.items[index];
  if (!found) throw new Error(`job ${job.accountRef} has an item ${index}`);
  return found;
}

async function custodyOf(jobId: string) {
  return CustodyRecord.parse((await server.api(`/api/v1/jobs/${jobId}/custody`, { token: office })).body);
}

/** A visit on the job, and an unexpected item found at it under `itemId`; both must apply. */
async function findUnexpected(laptop: SignedInLaptop, job: Job, itemId: string, serial: string): Promise<void> {
  const visit = { id: newId(), jobId: job.id, arrivedAt: new Date().toISOString(), departedAt: null, place: null, contactName: 'Dana', contactMethod: 'door', outcome: 'partial', notes: '', overrides: [], byUserId: laptop.userId };
  const line = {
    id: newId(),
    jobId: job.id,
    visitId: visit.id,
    itemId,
    status: 'recovered',
    grade: 'C',
    serialSeen: serial,
    serialConfirmedBy: 'typed',
    accessoriesChecked: false,
    unexpected: { type: 'laptop', make: 'Dell', model: 'Latitude 5420', serial },
    note: 'Found in the hall closet.',
    overrides: [],
    at: new Date().toISOString(),
    byUserId: laptop.userId,
  };
  const results = await laptop.push(laptop.mutation('visit', visit), laptop.mutation('itemReconciliation', line));
  expect(results.map((result) => result.outcome)).toEqual(['applied', 'applied']);
}

beforeAll(async () => {
  server = await startTestServer();
  office = (await server.login('dispatcher1')).token;
  [agent1, agent2, agent3] = await Promise.all([signInOnLaptop(server, 'agent1'), signInOnLaptop(server, 'agent2'), signInOnLaptop(server, 'agent3')]);
  const taken = new Set<string>();
  job1 = await openJobWith(agent1, 2, taken);
  job1b = await openJobWith(agent1, 1, taken);
  job2 = await openJobWith(agent2, 3, taken);
  job2b = await openJobWith(agent2, 1, taken);
});
afterAll(() => server.close());

describe('a custody event names only items on its job', () => {
  it("refuses another agent's item collected on the pusher's own job, and the rightful agent's collection still applies", async () => {
    const theirs = item(job2, 0);
    const hostile = await agent1.record(job1.id, 'collected', [firstOf(theirs)]);
    expectRefused(hostile.result, 'invalid', /is not on job .*expected items, or an unexpected item/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'invalid');

    const genuine = await agent2.record(job2.id, 'collected', [firstOf(theirs)]);
    expect(genuine.result).toMatchObject({ outcome: 'applied' });
    expect((await custodyOf(job2.id)).events.map((event) => event.id)).toContain(genuine.event.id);
    expect((await custodyOf(job1.id)).events.some((event) => event.items.some((line) => line.itemId === theirs.id))).toBe(false);
  });

  it('accepts an unexpected item found at a visit on the job, but never an item another job expects', async () => {
    const found = { id: newId(), serial: `FOUND-${newId().slice(-6)}` };
    await findUnexpected(agent1, job1b, found.id, found.serial);
    expect((await agent1.record(job1b.id, 'collected', [firstOf(found)])).result).toMatchObject({ outcome: 'applied' });

    // The other job's expected item, claimed as a find on this one.
    const theirs = item(job2, 2);
    await findUnexpected(agent1, job1b, theirs.id, theirs.serial);
    const hostile = await agent1.record(job1b.id, 'collected', [firstOf(theirs)]);
    expectRefused(hostile.result, 'invalid', /is an expected item of another job/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'invalid');

    expect((await agent2.record(job2.id, 'collected', [firstOf(theirs)])).result).toMatchObject({ outcome: 'applied' });
  });

  it("never continues an item's custody trail on a second job", async () => {
    const found = { id: newId(), serial: `FOUND-${newId().slice(-6)}` };
    await findUnexpected(agent1, job1b, found.id, found.serial);
    const collected = await agent1.record(job1b.id, 'collected', [firstOf(found)]);
    expect(collected.result).toMatchObject({ outcome: 'applied' });

    // Another agent records the same item as found on their own job and continues its chain there.
    await findUnexpected(agent2, job2b, found.id, found.serial);
    const hostile = await agent2.record(job2b.id, 'sealed', [after(collected.event, { itemId: found.id, serial: found.serial })], { sealNumber: 'SEAL-1' });
    expectRefused(hostile.result, 'custody_broken', /already has a custody trail on another job/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent2, 'custody_broken');

    const genuine = await agent1.record(job1b.id, 'received', [after(collected.event, { itemId: found.id, serial: found.serial })]);
    expect(genuine.result).toMatchObject({ outcome: 'applied' });
    expect((await custodyOf(job1b.id)).verdict).toMatchObject({ intact: true });
  });
});

describe('a custody event is on a job of the user who pushes it', () => {
  it('refuses an event on a job assigned to another agent, and the assigned agent’s own event still applies', async () => {
    const theirs = item(job2, 1);
    const hostile = await agent1.record(job2.id, 'collected', [firstOf(theirs)]);
    expectRefused(hostile.result, 'forbidden', /not assigned to you/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'forbidden');

    expect((await agent2.record(job2.id, 'collected', [firstOf(theirs)])).result).toMatchObject({ outcome: 'applied' });
  });

  it('lets the user a hand-over names record their own receipt on a job that is not theirs, and nobody else', async () => {
    const handed = item(job1, 0);
    const collected = await agent1.record(job1.id, 'collected', [firstOf(handed)]);
    expect(collected.result).toMatchObject({ outcome: 'applied' });
    const giver = { role: 'agent' as const, name: agent1.login.user.displayName, userId: agent1.userId };
    const taker = { role: 'agent' as const, name: agent2.login.user.displayName, userId: agent2.userId };
    const transferred = await agent1.record(job1.id, 'transferred', [after(collected.event, { itemId: handed.id, serial: handed.serial })], { from: giver, to: taker });
    expect(transferred.result).toMatchObject({ outcome: 'applied' });
    const line = after(transferred.event, { itemId: handed.id, serial: handed.serial });

    // A third agent claims the receipt for themselves; the hand-over did not name them.
    const stranger = { role: 'agent' as const, name: agent3.login.user.displayName, userId: agent3.userId };
    const claimed = await agent3.record(job1.id, 'received', [line], { from: giver, to: stranger });
    expectRefused(claimed.result, 'forbidden', /not assigned to you and its items were not handed over to you/);
    await expectKeptAsideAndFlagged(server, office, claimed.event, agent3, 'forbidden');

    // The receiver may record their receipt, not any other act on a job that is not theirs.
    const sealed = await agent2.record(job1.id, 'sealed', [line], { from: taker, to: taker, sealNumber: 'SEAL-2' });
    expectRefused(sealed.result, 'forbidden', /not assigned to you/);

    const receipt = await agent2.record(job1.id, 'received', [line], { from: giver, to: taker });
    expect(receipt.result).toMatchObject({ outcome: 'applied', reason: null });
    const record = await custodyOf(job1.id);
    expect(record.verdict).toMatchObject({ intact: true });
    expect(record.events.map((event) => event.id)).toEqual(expect.arrayContaining([collected.event.id, transferred.event.id, receipt.event.id]));
  });

  it('holds a receipt that arrives before its hand-over, and applies it once the hand-over is in', async () => {
    const handed = item(job1, 1);
    const collected = await agent1.record(job1.id, 'collected', [firstOf(handed)]);
    expect(collected.result).toMatchObject({ outcome: 'applied' });
    const giver = { role: 'agent' as const, name: agent1.login.user.displayName, userId: agent1.userId };
    const taker = { role: 'agent' as const, name: agent2.login.user.displayName, userId: agent2.userId };
    // agent1's laptop is still offline with the transfer when agent2's laptop syncs the receipt.
    const transfer = await agent1.sign(job1.id, 'transferred', [after(collected.event, { itemId: handed.id, serial: handed.serial })], { from: giver, to: taker });
    const receipt = agent2.mutation('custodyEvent', await agent2.sign(job1.id, 'received', [after(transfer, { itemId: handed.id, serial: handed.serial })], { from: giver, to: taker }));

    const [early] = await agent2.push(receipt);
    expect(early).toMatchObject({ outcome: 'rejected', code: 'chain_waiting' });
    expect(early?.reason).toMatch(/hand-over of these items to you has not reached the server yet/);

    expect(await agent1.pushOne('custodyEvent', transfer)).toMatchObject({ outcome: 'applied' });
    const [later] = await agent2.push(receipt);
    expect(later).toMatchObject({ outcome: 'applied' });
  });
});
