import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { newId } from '../../shared/ids';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { withStore } from './helpers/trust';

let server: TestServer;
let agentToken: string;
let agentId: string;
let dispatcherToken: string;
let jobIds: string[];
beforeAll(async () => {
  server = await startTestServer();
  const agent = await server.login('agent1');
  agentToken = agent.token;
  agentId = agent.user.id;
  dispatcherToken = (await server.login('dispatcher1')).token;
  jobIds = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agentId}`, { token: dispatcherToken })).body).jobs.map((job) => job.id);
});
afterAll(() => server.close());

it('applies 100 notes once, and a retried push answers duplicate for each and changes nothing', async () => {
  const outbox = deviceOutbox('agent1-laptop');
  // The client claims someone else wrote the notes; the server records the signed-in author.
  const mutations = Array.from({ length: 100 }, (_, index) => outbox.note(jobIds[index % jobIds.length] ?? '', `Door note ${index}`, newId()));
  const body = outbox.push(mutations);

  const first = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body })).body);
  expect(first.results.map((result) => result.id)).toEqual(mutations.map((mutation) => mutation.id));
  expect(first.results.every((result) => result.outcome === 'applied')).toBe(true);

  for (let attempt = 0; attempt < 2; attempt += 1) {
    const retry = await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body });
    expect(retry.status).toBe(200);
    const results = PushResponse.parse(retry.body).results;
    expect(results).toHaveLength(100);
    expect(results.every((result) => result.outcome === 'duplicate')).toBe(true);
  }

  const notesByText = new Map<string, number>();
  for (const jobId of new Set(mutations.map((mutation) => mutation.data.jobId))) {
    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${jobId}`, { token: dispatcherToken })).body);
    for (const note of detail.notes) {
      notesByText.set(note.text, (notesByText.get(note.text) ?? 0) + 1);
      expect(note.byUserId).toBe(agentId);
    }
  }
  expect(notesByText.size).toBe(100);
  expect([...notesByText.values()].every((count) => count === 1)).toBe(true);
});

it('remembers the answers of a batch that changes nothing, as it remembers any other', async () => {
  // No change-log rows: on PostgreSQL the answers are then written on their own at the batch's
  // end, not in the change-log statement that carries them otherwise.
  const outbox = deviceOutbox('agent1-laptop');
  const empty = outbox.note(jobIds[0] ?? '', '  ', agentId);
  const elsewhere = outbox.note(newId(), 'A note on a job that does not exist', agentId);
  const body = outbox.push([empty, elsewhere]);
  const first = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body })).body);
  expect(first.results.map((result) => result.outcome)).toEqual(['rejected', 'rejected']);
  const stored = await withStore(server, (store) =>
    store.db.selectFrom('applied_mutations').select(['id', 'outcome', 'user_id']).where('id', 'in', [empty.id, elsewhere.id]).orderBy('id').execute(),
  );
  expect(stored).toEqual([empty.id, elsewhere.id].sort().map((id) => ({ id, outcome: 'rejected', user_id: agentId })));
  const retry = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body })).body);
  expect(retry.results).toEqual(first.results);
});

it('gives a rejected mutation the same answer on retry, and one bad mutation does not block the rest', async () => {
  const outbox = deviceOutbox('agent1-laptop');
  const good = outbox.note(jobIds[0] ?? '', 'Left a door hanger', agentId);
  const empty = outbox.note(jobIds[0] ?? '', '   ', agentId);
  const body = outbox.push([empty, good]);
  const first = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body })).body);
  expect(first.results[0]).toMatchObject({ outcome: 'rejected', code: 'invalid' });
  expect(first.results[0]?.reason).toMatch(/note cannot be empty/);
  expect(first.results[1]).toMatchObject({ outcome: 'applied' });

  const retry = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: body })).body);
  expect(retry.results[0]).toEqual(first.results[0]);
  expect(retry.results[1]).toMatchObject({ outcome: 'duplicate' });
});

it('refuses a timestamp from a clock far ahead without remembering it, so a fixed clock can retry', async () => {
  const outbox = deviceOutbox('agent1-laptop');
  const note = outbox.note(jobIds[1] ?? '', 'Customer not home', agentId);
  const ahead = { ...note, hlc: `${String(Date.now() + 60 * 60 * 1000).padStart(15, '0')}:00000:agent1-laptop` };
  const refused = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: outbox.push([ahead]) })).body);
  expect(refused.results[0]).toMatchObject({ outcome: 'rejected', code: 'clock_drift' });
  expect(refused.results[0]?.reason).toMatch(/date and time/);

  const fixed = PushResponse.parse((await server.api('/api/v1/sync/push', { token: agentToken, protocol: true, json: outbox.push([note]) })).body);
  expect(fixed.results[0]).toMatchObject({ id: note.id, outcome: 'applied' });
});
