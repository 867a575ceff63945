import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { custodyContentOf } from '../../shared/custody/custody-event';
import type { Job } from '../../shared/domain/job';
import { subtle } from '../fixtures/custody-chain';
import { expectKeptAsideAndFlagged, expectRefused, firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 8: a custody event enters the chain only when it is recorded by the user who
 * pushes it and signed by a key registered to that user for the laptop it is sent from. Each
 * attack goes through the real push API; the rightful user's genuine event applies afterwards.
 */
let server: TestServer;
let office: string;
let agent1: SignedInLaptop;
let agent2: SignedInLaptop;
let job1: Job;

function item(job: Job, index: number) {
  const found = job.items[index];
  if (!found) throw new Error(`job ${job.accountRef} has an item ${index}`);
  return found;
}

beforeAll(async () => {
  server = await startTestServer();
  office = (await server.login('dispatcher1')).token;
  [agent1, agent2] = await Promise.all([signInOnLaptop(server, 'agent1'), signInOnLaptop(server, 'agent2')]);
  const taken = new Set<string>();
  job1 = await openJobWith(agent1, 3, taken);
});
afterAll(() => server.close());

describe('a custody event is recorded by its pusher, with the key of the laptop it comes from', () => {
  it('refuses an event that names another user as its recorder, and the pusher’s own event still applies', async () => {
    const mine = item(job1, 2);
    // agent1 signs with their own key on their own job, but writes agent2 in as the recorder.
    const hostile = await agent1.record(job1.id, 'collected', [firstOf(mine)], { recordedByUserId: agent2.userId });
    expectRefused(hostile.result, 'forbidden', /only be pushed by the user who recorded it/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'forbidden');

    expect((await agent1.record(job1.id, 'collected', [firstOf(mine)])).result).toMatchObject({ outcome: 'applied' });
  });

  it("refuses an event on the pusher's own job signed with another user's key, and the pusher's genuine event applies", async () => {
    const mine = item(job1, 0);
    const unsigned = await agent2.sign(job1.id, 'collected', [firstOf(mine)]);
    const hostileEvent = await sealCustodyEvent(subtle, agent2.device.privateKey, { ...custodyContentOf(unsigned), recordedByUserId: agent1.userId });
    const hostile = await agent1.pushOne('custodyEvent', hostileEvent);
    expectRefused(hostile, 'custody_broken', /signing key that belongs to another device or user/);
    await expectKeptAsideAndFlagged(server, office, hostileEvent, agent1, 'custody_broken');

    expect((await agent1.record(job1.id, 'collected', [firstOf(mine)])).result).toMatchObject({ outcome: 'applied' });
  });

  it('refuses an event signed on another of the user’s laptops when sent from this one, and applies it from its own laptop', async () => {
    const mine = item(job1, 1);
    const van = await signInOnLaptop(server, 'agent1', 'agent1-van');
    const recordedInTheVan = await van.sign(job1.id, 'collected', [firstOf(mine)]);

    const fromLaptop = await agent1.pushOne('custodyEvent', recordedInTheVan);
    expectRefused(fromLaptop, 'forbidden', /signed with the key of device agent1-van, but it was sent from agent1-laptop/);
    await expectKeptAsideAndFlagged(server, office, recordedInTheVan, agent1, 'forbidden');

    expect(await van.pushOne('custodyEvent', recordedInTheVan)).toMatchObject({ outcome: 'applied' });
  });
});
