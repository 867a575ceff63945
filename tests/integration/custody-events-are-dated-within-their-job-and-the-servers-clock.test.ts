import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/domain/job';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { CUSTODY_CLOCK_TOLERANCE_MS } from '../../server/custody/custody-binding';
import { describeDoorRecord } from '../../renderer/features/capture/rejected-record-text';
import { fieldLaptop } from './fault-proxy/field-laptop';
import { expectKeptAsideAndFlagged, expectRefused, firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 8: a custody event is dated no earlier than its job and no later than the
 * server's receipt of it (give or take one clock's error). Events recorded offline for days are
 * genuine and still apply. The laptop keeps a refused event and shows why.
 */
let server: TestServer;
let office: string;
let agent1: SignedInLaptop;
let job: Job;

const day = 24 * 60 * 60_000;

function item(index: number) {
  const found = job.items[index];
  if (!found) throw new Error(`job ${job.accountRef} has an item ${index}`);
  return found;
}

beforeAll(async () => {
  server = await startTestServer();
  office = (await server.login('dispatcher1')).token;
  agent1 = await signInOnLaptop(server, 'agent1');
  job = await openJobWith(agent1, 3, new Set());
});
afterAll(() => server.close());

describe('a custody event is dated within its job and the server clock', () => {
  it('refuses a collection dated 2019, before its job existed, and the agent’s genuine collection applies', async () => {
    const hostile = await agent1.record(job.id, 'collected', [firstOf(item(0))], { at: '2019-03-14T15:00:00.000Z' });
    expectRefused(hostile.result, 'invalid', /dated 2019-03-14T15:00:00.000Z, before job .* was created/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'invalid');

    expect((await agent1.record(job.id, 'collected', [firstOf(item(0))])).result).toMatchObject({ outcome: 'applied' });
  });

  it('refuses an event dated beyond the clock tolerance after the server received it, and a genuine one applies', async () => {
    const ahead = new Date(Date.now() + CUSTODY_CLOCK_TOLERANCE_MS + 60 * 60_000).toISOString();
    const hostile = await agent1.record(job.id, 'collected', [firstOf(item(1))], { at: ahead });
    expectRefused(hostile.result, 'invalid', /more than 5 minutes after the server received it/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'invalid');

    // A laptop a minute fast is within the tolerance.
    const slightlyFast = new Date(Date.now() + 60_000).toISOString();
    expect((await agent1.record(job.id, 'collected', [firstOf(item(1))], { at: slightlyFast })).result).toMatchObject({ outcome: 'applied' });
  });

  it("keeps a refused event on the laptop with the server's reason beside it", async () => {
    // The app itself, on a laptop whose date is years behind: its collection is refused for good.
    const laptop = await fieldLaptop({ name: 'wrong-date', username: 'agent1', serverUrl: server.url, syncUrl: server.url, now: () => new Date('2019-06-01T12:00:00.000Z') });
    await laptop.engine.syncOnce();
    const local = (await laptop.jobs.listJobs({ status: 'all' })).find((candidate) => candidate.id === job.id);
    if (!local) throw new Error('the laptop holds the job');
    const me = laptop.login.user;
    const recorded = await laptop.custody.record({
      jobId: job.id,
      kind: 'collected',
      from: { role: 'customer', name: 'Dana Customer', userId: null },
      to: { role: 'agent', name: me.displayName, userId: me.id },
      items: [{ itemId: item(2).id, serial: item(2).serial }],
      place: null,
      photoHashes: [],
      signatureHashes: [],
    });
    await laptop.engine.syncOnce();

    const [rejected] = await laptop.db.rejectedMutations.toArray();
    expect(rejected).toMatchObject({ entity: 'custodyEvent', jobId: job.id, code: 'invalid' });
    expect(rejected?.reason).toMatch(/before job .* was created.*Check the laptop's date and time/);
    if (rejected?.mutation.entity !== 'custodyEvent') throw new Error('the refused mutation is the custody event');
    expect(describeDoorRecord(rejected.mutation)).toBe('Collection record');
    expect(await laptop.db.custodyEvents.get(recorded.id)).toBeDefined();
    expect(await laptop.db.outbox.count()).toBe(0);
    await laptop.db.delete();
  });

  it('applies a genuine event recorded offline three days before the push, after the job was created', async () => {
    server.advanceClock(4 * day);
    // Four days on, the agent signs in again on the same laptop and syncs what was recorded offline.
    const back = await signInOnLaptop(server, 'agent1');
    const offline = new Date(Date.now() + 4 * day - 3 * day).toISOString();
    expect(Date.parse(offline)).toBeGreaterThan(Date.parse(job.createdAt));
    const recorded = await back.record(job.id, 'collected', [firstOf(item(2))], { at: offline });
    expect(recorded.result).toMatchObject({ outcome: 'applied' });
    const record = CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token: (await server.login('dispatcher1')).token })).body);
    expect(record.events.map((event) => event.id)).toContain(recorded.event.id);
    expect(record.verdict).toMatchObject({ intact: true });
  });
});
