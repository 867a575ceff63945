import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeResponse } from '../../shared/api/auth';
import { CustodyEvent } from '../../shared/custody/custody-event';
import type { Job } from '../../shared/domain/job';
import { dispositionNote, DispositionRequest, readDispositionNote } from '../../shared/supervise/disposition';
import { CustodyRecord } from '../../server/custody/custody-routes';
import { after, expectKeptAsideAndFlagged, expectRefused, firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Issue 13, point 8: a final disposition is an office act, recorded by a supervisor or admin
 * with the disposition form (which holds its rules: once per item, a certificate for data-bearing
 * devices), never pushed from a laptop — not by an agent, not under the supervisor's name, and
 * not disguised as another kind with a disposition note. After each refused attempt the real
 * supervisor's disposition still goes through.
 */
let server: TestServer;
let office: string;
let supervisorToken: string;
let agent1: SignedInLaptop;
let job: Job;

const returned = DispositionRequest.parse({ disposition: 'returned_to_client', toName: 'Client returns dock' });

function item(index: number) {
  const found = job.items[index];
  if (!found) throw new Error(`job ${job.accountRef} has an item ${index}`);
  return { itemId: found.id, serial: found.serial };
}

async function collect(index: number) {
  const collected = await agent1.record(job.id, 'collected', [firstOf({ id: item(index).itemId, serial: item(index).serial })]);
  expect(collected.result).toMatchObject({ outcome: 'applied' });
  return collected.event;
}

/** The supervisor's own disposition, through the form's route: it must apply after every attack. */
async function supervisorDisposes(itemId: string): Promise<void> {
  const answer = await server.api(`/api/v1/custody/items/${itemId}/disposition`, { token: supervisorToken, json: returned });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  expect(readDispositionNote(CustodyEvent.parse(answer.body).note)?.disposition).toBe('returned_to_client');
  expect(CustodyRecord.parse((await server.api(`/api/v1/jobs/${job.id}/custody`, { token: office })).body).verdict).toMatchObject({ intact: true });
}

beforeAll(async () => {
  server = await startTestServer();
  office = (await server.login('dispatcher1')).token;
  supervisorToken = (await server.login('supervisor1')).token;
  agent1 = await signInOnLaptop(server, 'agent1');
  job = await openJobWith(agent1, 3, new Set());
});
afterAll(() => server.close());

describe('final dispositions are recorded only by the office, with the disposition form', () => {
  it("refuses an agent's 'disposed' event, and the supervisor's disposition still applies", async () => {
    const collected = await collect(0);
    const hostile = await agent1.record(job.id, 'disposed', [after(collected, item(0))], {
      to: { role: 'disposer', name: 'Shred-It Chicago', userId: null },
      note: dispositionNote(DispositionRequest.parse({ disposition: 'destroyed', toName: 'Shred-It Chicago' })),
    });
    expectRefused(hostile.result, 'forbidden', /final disposition is recorded by a supervisor or admin with the disposition form/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'forbidden');
    await supervisorDisposes(item(0).itemId);
  });

  it("refuses a disposition pushed under the supervisor's name, and the supervisor does not get 409 afterwards", async () => {
    const collected = await collect(1);
    const supervisorId = MeResponse.parse((await server.api('/api/v1/auth/me', { token: supervisorToken })).body).user.id;
    const hostile = await agent1.record(job.id, 'returned_to_client', [after(collected, item(1))], {
      from: { role: 'warehouse', name: 'Priya Raman (office)', userId: supervisorId },
      to: { role: 'client', name: 'Client returns dock', userId: null },
      note: dispositionNote(returned),
      recordedByUserId: supervisorId,
    });
    expectRefused(hostile.result, 'forbidden', /only be pushed by the user who recorded it/);
    await expectKeptAsideAndFlagged(server, office, hostile.event, agent1, 'forbidden');
    await supervisorDisposes(item(1).itemId);
  });

  it('refuses a disposition note under another kind, also from an office laptop, and the form still records it', async () => {
    const collected = await collect(2);
    const disguised = await agent1.record(job.id, 'transferred', [after(collected, item(2))], {
      to: { role: 'client', name: 'Redeployment desk', userId: null },
      note: dispositionNote(DispositionRequest.parse({ disposition: 'redeployed', toName: 'Redeployment desk' })),
    });
    expectRefused(disguised.result, 'forbidden', /disposition form/);
    await expectKeptAsideAndFlagged(server, office, disguised.event, agent1, 'forbidden');

    // The supervisor's own laptop cannot push one either: the form is the one way in.
    const supervisorLaptop = await signInOnLaptop(server, 'supervisor1', 'supervisor1-laptop');
    const pushed = await supervisorLaptop.record(job.id, 'returned_to_client', [after(collected, item(2))], {
      from: { role: 'warehouse', name: 'Priya Raman', userId: supervisorLaptop.userId },
      to: { role: 'client', name: 'Client returns dock', userId: null },
      note: dispositionNote(returned),
    });
    expectRefused(pushed.result, 'forbidden', /disposition form/);
    await supervisorDisposes(item(2).itemId);
  });
});
