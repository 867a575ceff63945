import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import type { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { PullResponse, PushResponse, type PushRequest } from '../../shared/sync/protocol';
import { moveJobConfirmed } from './helpers/confirmed-move';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * A batch's consecutive notes are applied together, in a few statements (server/sync/push.ts).
 * Each must still get the answer it would get pushed alone, in the batch's order: a repeated
 * note id, a repeated mutation, a job that is not the agent's or no longer exists, a status
 * change in between, a job taken from the agent meanwhile.
 */

let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent1', 'agent2', 'dispatcher1']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    ids[name] = login.user.id;
  }
});
afterAll(() => server.close());

async function pull(token: string, cursor = '0') {
  return PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token, protocol: true })).body);
}

async function jobsOf(agent: string): Promise<Job[]> {
  return (await pull(tokens[agent] ?? '')).changes.flatMap((change) => (change.entity === 'job' && change.data.status === 'assigned' ? [change.data] : []));
}

async function push(agent: string, body: PushRequest) {
  const answer = await server.api('/api/v1/sync/push', { token: tokens[agent], protocol: true, json: body });
  expect(answer.status).toBe(200);
  return PushResponse.parse(answer.body).results;
}

async function detail(jobId: string) {
  return JobDetail.parse((await server.api(`/api/v1/jobs/${jobId}`, { token: tokens.dispatcher1 })).body);
}

/** The job's notes with these notes' ids, in the job's order (the demo gives jobs notes of their own). */
function textsOf(jobDetail: JobDetail, notes: readonly { data: { id: string } }[]): string[] {
  const wanted = new Set(notes.map((note) => note.data.id));
  return jobDetail.notes.filter((note) => wanted.has(note.id)).map((note) => note.text);
}

describe('notes in one batch', () => {
  it('are answered in order as if pushed one by one, and a retry changes nothing', async () => {
    const [first, second] = await jobsOf('agent1');
    const [theirs] = await jobsOf('agent2');
    if (!first || !second || !theirs) throw new Error('the demo gives agent1 two assigned jobs and agent2 one');
    const agent1 = ids.agent1 ?? '';
    const outbox = deviceOutbox('agent1-laptop');

    const earlier = outbox.note(second.id, 'Left a card', agent1);
    expect((await push('agent1', outbox.push([earlier])))[0]).toMatchObject({ outcome: 'applied' });
    const cursor = (await pull(tokens.agent1 ?? '')).cursor;

    const dog = outbox.note(first.id, 'Dog in the yard', agent1);
    const sameNoteId = { ...outbox.note(first.id, 'Dog in the yard, again', agent1), data: { ...dog.data, text: 'Dog in the yard, again' } };
    const notMine = outbox.note(theirs.id, 'Not my job', agent1);
    const gone = outbox.note(newId(), 'No such job', agent1);
    const drive = outbox.statusChange(first.id, 'assigned', 'en_route', agent1);
    const onMyWay = outbox.note(first.id, 'On my way', agent1);
    // A note id this batch added before the status change, in the batch's earlier insert of notes.
    const dogAfterTheDrive = { ...outbox.note(first.id, 'Dog again, after the drive', agent1), data: { ...dog.data, text: 'Dog again, after the drive' } };
    const oldNoteId = { ...outbox.note(second.id, 'Reuses an earlier note id', agent1), data: { ...earlier.data, text: 'Reuses an earlier note id' } };
    const batch = outbox.push([dog, sameNoteId, dog, notMine, gone, drive, onMyWay, dogAfterTheDrive, oldNoteId]);

    const answers = await push('agent1', batch);
    expect(answers.map((answer) => [answer.id, answer.outcome, answer.code])).toEqual([
      [dog.id, 'applied', null],
      [sameNoteId.id, 'rejected', 'invalid'],
      [dog.id, 'duplicate', null],
      [notMine.id, 'rejected', 'forbidden'],
      [gone.id, 'rejected', 'not_found'],
      [drive.id, 'applied', null],
      [onMyWay.id, 'applied', null],
      [dogAfterTheDrive.id, 'rejected', 'invalid'],
      [oldNoteId.id, 'rejected', 'invalid'],
    ]);
    expect(answers[1]?.reason).toMatch(/note with this id already exists/);
    expect(answers[7]?.reason).toMatch(/note with this id already exists/);
    expect(answers[8]?.reason).toMatch(/note with this id already exists/);

    const retried = await push('agent1', batch);
    expect(retried.map((answer) => answer.outcome)).toEqual(['duplicate', 'rejected', 'duplicate', 'rejected', 'rejected', 'duplicate', 'duplicate', 'rejected', 'rejected']);
    expect(retried[1]).toEqual(answers[1]);

    const firstAfter = await detail(first.id);
    expect(firstAfter.job.status).toBe('en_route');
    expect(textsOf(firstAfter, [dog, sameNoteId, onMyWay, dogAfterTheDrive])).toEqual(['Dog in the yard', 'On my way']);
    expect(textsOf(await detail(second.id), [earlier, oldNoteId])).toEqual(['Left a card']);
    expect(textsOf(await detail(theirs.id), [notMine])).toEqual([]);

    // The agent's next pull carries each new note once, and the job at its new status.
    const changes = (await pull(tokens.agent1 ?? '', cursor)).changes;
    expect(changes.flatMap((change) => (change.entity === 'jobNote' ? [change.data.id] : [])).sort()).toEqual([dog.data.id, onMyWay.data.id].sort());
    expect(changes.flatMap((change) => (change.entity === 'job' ? [[change.data.id, change.data.status]] : []))).toEqual([[first.id, 'en_route']]);
  });

  it('on a job taken from the agent meanwhile are each kept and flagged, and reach the new agent', async () => {
    const job = (await jobsOf('agent1')).at(-1);
    if (!job) throw new Error('the demo gives agent1 more than two assigned jobs');
    const versionBefore = (await detail(job.id)).job.version;
    expect((await moveJobConfirmed(server, tokens.dispatcher1 ?? '', job.id, ids.agent2 ?? '')).status).toBe(200);
    const versionMoved = (await detail(job.id)).job.version;
    expect(versionMoved).toBeGreaterThan(versionBefore);
    const agent2Cursor = (await pull(tokens.agent2 ?? '')).cursor;

    const outbox = deviceOutbox('agent1-laptop');
    const notes = [outbox.note(job.id, 'Customer asked for Tuesday', ids.agent1 ?? ''), outbox.note(job.id, 'Gate code 4321', ids.agent1 ?? '')];
    const answers = await push('agent1', outbox.push(notes));
    expect(answers.map((answer) => [answer.outcome, answer.code])).toEqual([
      ['applied', 'flagged'],
      ['applied', 'flagged'],
    ]);

    // Each flagged note bumps the job's version, as it did pushed alone.
    const after = await detail(job.id);
    expect(after.job).toMatchObject({ assignedAgentId: ids.agent2, version: versionMoved + 2 });
    expect(after.job.reviewReason).toMatch(/added a note after the job was taken from them/);
    expect(textsOf(after, notes)).toEqual(['Customer asked for Tuesday', 'Gate code 4321']);

    const agent2Changes = (await pull(tokens.agent2 ?? '', agent2Cursor)).changes;
    expect(agent2Changes.flatMap((change) => (change.entity === 'jobNote' ? [change.data.id] : [])).sort()).toEqual(notes.map((note) => note.data.id).sort());
    expect(agent2Changes.flatMap((change) => (change.entity === 'job' ? [[change.data.id, change.data.version]] : []))).toEqual([[job.id, versionMoved + 2]]);
  });
});
