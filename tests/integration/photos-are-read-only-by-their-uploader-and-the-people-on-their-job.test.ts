import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import type { Job } from '../../shared/domain/job';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, PushResponse } from '../../shared/sync/protocol';
import { startTestServer, type TestServer } from './helpers/server';
import { moveJobConfirmed } from './helpers/confirmed-move';

/**
 * A customer's photo is personal data, and its name (the SHA-256) travels in custody records,
 * bundles and PDFs, so the name alone opens nothing. Over real HTTP: a blob is readable by its
 * uploader, by the agent a job naming it is assigned to, and by the office; anyone else is told
 * it is not there, exactly as if it did not exist, on GET and HEAD alike.
 */
let server: TestServer;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};
let jobsOf: Record<'agent1' | 'agent2', Job[]>;

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent1', 'agent2', 'agent3', 'dispatcher1', 'supervisor1', 'admin']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    userIds[name] = login.user.id;
  }
  const list = async (agent: 'agent1' | 'agent2') =>
    ((await server.api(`/api/v1/jobs?assignedAgentId=${userIds[agent]}&limit=5`, { token: tokens.dispatcher1 })).body as { jobs: Job[] }).jobs;
  jobsOf = { agent1: await list('agent1'), agent2: await list('agent2') };
});
afterAll(() => server.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(who: string, bytes: Uint8Array) {
  return server.api(`/api/v1/blobs/${sha256(bytes)}`, { method: 'PUT', token: tokens[who], body: new Uint8Array(bytes), headers: { 'content-type': 'image/jpeg' } });
}

async function read(who: string | null, hash: string, method: 'GET' | 'HEAD') {
  const response = await fetch(`${server.url}/api/v1/blobs/${hash}`, { method, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, bytes, type: response.headers.get('content-type') ?? '' };
}

/** Both ways of asking, GET and HEAD, must answer alike. */
async function statusFor(who: string | null, hash: string): Promise<number> {
  const get = await read(who, hash, 'GET');
  const head = await read(who, hash, 'HEAD');
  expect(head.status).toBe(get.status);
  if (get.status === 200) expect(sha256(get.bytes)).toBe(hash);
  return get.status;
}

const clocks = new Map<string, HybridLogicalClock>();

/** Pushes one photo record naming `hash` on `job`, as `who`'s laptop does. */
async function pushPhoto(who: 'agent1' | 'agent2', job: Job, hash: string, size: number) {
  const deviceId = `${who}-laptop`;
  const clock = clocks.get(who) ?? new HybridLogicalClock(deviceId);
  clocks.set(who, clock);
  const now = new Date().toISOString();
  const mutation = {
    id: newId(),
    deviceId,
    clientTime: now,
    hlc: clock.now(),
    op: 'create',
    entity: 'photo',
    data: { id: newId(), jobId: job.id, subject: 'job', subjectId: null, sha256: hash, mimeType: 'image/jpeg', bytes: size, width: 10, height: 10, capturedAt: now, recordedAt: now, place: null, byUserId: userIds[who] },
  };
  const answer = await server.api('/api/v1/sync/push', { token: tokens[who], protocol: true, json: { protocolVersion: PROTOCOL_VERSION, deviceId, mutations: [mutation] } });
  expect(answer.status).toBe(200);
  const [result] = PushResponse.parse(answer.body).results;
  if (!result) throw new Error('the push answered no result');
  return result;
}

function firstJob(agent: 'agent1' | 'agent2', index = 0): Job {
  const job = jobsOf[agent][index];
  if (!job) throw new Error(`${agent} has no job ${index}`);
  return job;
}

describe('who may read a photo', () => {
  it("answers another agent's photo 404, exactly as a photo that does not exist", async () => {
    const mine = randomBytes(2_000);
    const theirs = randomBytes(2_000);
    expect((await upload('agent1', mine)).status).toBe(201);
    expect((await upload('agent2', theirs)).status).toBe(201);

    expect(await statusFor('agent1', sha256(mine))).toBe(200);
    expect(await statusFor('agent2', sha256(theirs))).toBe(200);
    const refused = await read('agent1', sha256(theirs), 'GET');
    const absent = await read('agent1', sha256(randomBytes(2_000)), 'GET');
    expect(refused.status).toBe(404);
    expect(refused.type).toContain('application/problem+json');
    // Not one byte tells the two apart: the same problem, the same words.
    expect(Problem.parse(JSON.parse(refused.bytes.toString())).detail).toBe(Problem.parse(JSON.parse(absent.bytes.toString())).detail);
    expect(refused.bytes.toString().replace(sha256(theirs), '')).toBe(absent.bytes.toString().replace(/[0-9a-f]{64}/, ''));
    expect((await read('agent1', sha256(theirs), 'HEAD')).status).toBe(404);
    // Not signed in: 401 before anything is looked up.
    expect(await statusFor(null, sha256(mine))).toBe(401);
  });

  it('opens a photo to the agent of the job its record names, to the office, and to nobody else', async () => {
    const bytes = randomBytes(3_000);
    const hash = sha256(bytes);
    await upload('agent2', bytes);
    // Uploaded but named by no record: the office has no job to see it through yet.
    expect(await statusFor('dispatcher1', hash)).toBe(404);

    const job = firstJob('agent2');
    expect((await pushPhoto('agent2', job, hash, bytes.length)).outcome).toBe('applied');
    for (const office of ['dispatcher1', 'supervisor1', 'admin']) expect(await statusFor(office, hash)).toBe(200);
    expect(await statusFor('agent1', hash)).toBe(404);
    expect(await statusFor('agent3', hash)).toBe(404);

    // The job moves to agent1: the photo goes with it; its uploader keeps it.
    const moved = await moveJobConfirmed(server, tokens.dispatcher1 ?? '', job.id, userIds.agent1 ?? null);
    expect(moved.status).toBe(200);
    expect(await statusFor('agent1', hash)).toBe(200);
    expect(await statusFor('agent2', hash)).toBe(200);
    expect(await statusFor('agent3', hash)).toBe(404);
    expect((await moveJobConfirmed(server, tokens.dispatcher1 ?? '', job.id, userIds.agent2 ?? null)).status).toBe(200);
    expect(await statusFor('agent1', hash)).toBe(404);
  });

  it("refuses a record that names a photo its pusher may not read, so it cannot smuggle another agent's photo onto its own job", async () => {
    const bytes = randomBytes(2_500);
    const hash = sha256(bytes);
    await upload('agent2', bytes);
    const smuggled = await pushPhoto('agent1', firstJob('agent1'), hash, bytes.length);
    // The same words as for a photo not uploaded yet: the refusal confirms nothing either.
    expect(smuggled).toMatchObject({ outcome: 'rejected', code: 'blob_missing' });
    expect(await statusFor('agent1', hash)).toBe(404);
  });

  it("answers an upload of bytes another user sent first as a fresh upload, and then the sender holds them", async () => {
    const bytes = randomBytes(2_200);
    const hash = sha256(bytes);
    const first = await upload('agent2', bytes);
    const second = await upload('agent1', bytes);
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.body).toEqual({ sha256: hash, size: bytes.length, created: true });
    // Sending the bytes proves holding them: agent1 may read them back and name them in a record.
    expect(await statusFor('agent1', hash)).toBe(200);
    expect((await pushPhoto('agent1', firstJob('agent1', 1), hash, bytes.length)).outcome).toBe('applied');
    // A retry by the same sender is the no-op it always was.
    const again = await upload('agent1', bytes);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ sha256: hash, size: bytes.length, created: false });
  });
});
