import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { BulkResult } from '../../shared/dispatch/dispatch-api';
import type { Job } from '../../shared/domain/job';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

/**
 * The server is the last guard of a bulk act: whatever a client sends, a job is not taken from
 * the agent who has it, nor changed while under way, unless the dispatcher confirmed it as it
 * stands now; a job that changed since the dispatcher chose it is refused by name and reason.
 */
let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent1', 'agent2', 'agent3', 'dispatcher1']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    ids[name] = login.user.id;
  }
});
afterAll(() => server.close());

async function allJobs(): Promise<Job[]> {
  return JobList.parse((await server.api('/api/v1/jobs?limit=200', { token: tokens.dispatcher1 })).body).jobs;
}

async function job(id: string): Promise<Job> {
  return JobDetail.parse((await server.api(`/api/v1/jobs/${id}`, { token: tokens.dispatcher1 })).body).job;
}

async function bulk(path: string, json: unknown): Promise<BulkResult['results']> {
  const answer = await server.api(path, { token: tokens.dispatcher1, json });
  expect(answer.status).toBe(200);
  return BulkResult.parse(answer.body).results;
}

/** An agent's laptop sends a status change, as sync does. */
async function agentMoves(agent: string, subject: Job, to: Job['status']): Promise<void> {
  const outbox = deviceOutbox(`${agent}-laptop`);
  const change = outbox.statusChange(subject.id, subject.status, to, ids[agent] ?? '');
  const push = PushResponse.parse((await server.api('/api/v1/sync/push', { token: tokens[agent], protocol: true, json: outbox.push([change]) })).body);
  expect(push.results.map((result) => result.outcome)).toEqual(['applied']);
}

function seen(subject: Job, confirmed: boolean) {
  return { jobId: subject.id, agentId: subject.assignedAgentId, status: subject.status, confirmed };
}

function pick(jobs: readonly Job[], test: (candidate: Job) => boolean, taken: Set<string>): Job {
  const found = jobs.find((candidate) => test(candidate) && !taken.has(candidate.id));
  if (!found) throw new Error('the demo organisation lacks a job this test needs');
  taken.add(found.id);
  return found;
}

describe('a bulk assignment on the server', () => {
  it('moves only what applies, refuses unconfirmed takes with the agent named, and moves confirmed ones', async () => {
    const jobs = await allJobs();
    const taken = new Set<string>();
    const free = pick(jobs, (candidate) => candidate.status === 'unassigned', taken);
    const closed = pick(jobs, (candidate) => candidate.status === 'closed', taken);
    const marcus = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent1, taken);
    const elenaBefore = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent2, taken);
    await agentMoves('agent2', elenaBefore, 'en_route');
    const elena = await job(elenaBefore.id);
    expect(elena.status).toBe('en_route');

    // A client that says nothing of what it saw (an old one, a script) moves only the free job.
    const blind = await bulk('/api/v1/jobs/assignments', { jobIds: [free.id, closed.id, marcus.id, elena.id], agentId: ids.agent3 });
    expect(blind.map((result) => [result.jobId, result.outcome, result.refusal])).toEqual([
      [free.id, 'done', null],
      [closed.id, 'refused', 'not_applicable'],
      [marcus.id, 'refused', 'needs_confirmation'],
      [elena.id, 'refused', 'needs_confirmation'],
    ]);
    expect(blind[1]?.reason).toBe('Closed — cannot be assigned');
    expect(blind[2]?.reason).toBe("Assigned to Marcus Bell; moving it needs the dispatcher's confirmation");
    expect(blind[3]?.reason).toBe("En route with Elena Kowalczyk; moving it needs the dispatcher's confirmation");
    expect(await job(marcus.id)).toMatchObject({ assignedAgentId: ids.agent1, version: marcus.version });
    expect(await job(elena.id)).toMatchObject({ assignedAgentId: ids.agent2, status: 'en_route', version: elena.version });

    // Seen but not confirmed is still not confirmed.
    const unconfirmed = await bulk('/api/v1/jobs/assignments', { jobIds: [marcus.id], agentId: ids.agent3, seen: [seen(marcus, false)] });
    expect(unconfirmed[0]).toMatchObject({ outcome: 'refused', refusal: 'needs_confirmation' });

    const confirmed = await bulk('/api/v1/jobs/assignments', { jobIds: [marcus.id, elena.id], agentId: ids.agent3, seen: [seen(marcus, true), seen(elena, true)] });
    expect(confirmed.map((result) => [result.outcome, result.job?.assignedAgentId, result.job?.status])).toEqual([
      ['done', ids.agent3, 'assigned'],
      ['done', ids.agent3, 'en_route'],
    ]);
    const history = JobDetail.parse((await server.api(`/api/v1/jobs/${elena.id}`, { token: tokens.dispatcher1 })).body).statusChanges;
    expect(history.at(-1)?.reason).toBe('Reassigned from Elena Kowalczyk to Tomás Herrera');
  });

  it('refuses, by reason, a job an agent started after the dispatcher chose it, and leaves it with that agent', async () => {
    const jobs = await allJobs();
    const chosen = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent1, new Set());
    // The dispatcher saw it Assigned to Marcus and confirmed; Marcus's laptop syncs "Start driving" first.
    await agentMoves('agent1', chosen, 'en_route');
    const [result] = await bulk('/api/v1/jobs/assignments', { jobIds: [chosen.id], agentId: ids.agent3, seen: [seen(chosen, true)] });
    expect(result).toMatchObject({ outcome: 'refused', refusal: 'changed_meanwhile', reason: 'started meanwhile (now En route with Marcus Bell)', job: null });
    expect(await job(chosen.id)).toMatchObject({ assignedAgentId: ids.agent1, status: 'en_route', version: chosen.version + 1 });
  });

  it('puts moved jobs back (undo) through the same guard, and reports rather than clobbers one that moved on', async () => {
    const jobs = await allJobs();
    const taken = new Set<string>();
    const first = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent2, taken);
    const second = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent2, taken);
    const moved = await bulk('/api/v1/jobs/assignments', { jobIds: [first.id, second.id], agentId: ids.agent3, seen: [seen(first, true), seen(second, true)] });
    const after = moved.map((result) => result.job);
    if (!after[0] || !after[1]) throw new Error('both jobs should have moved');
    // Tomás's laptop starts driving to the second before the dispatcher presses Undo.
    await agentMoves('agent3', after[1], 'en_route');

    const undo = await bulk('/api/v1/jobs/assignments', { jobIds: [first.id, second.id], agentId: ids.agent2, seen: after.map((entry) => (entry ? seen(entry, true) : null)) });
    expect(undo.map((result) => [result.outcome, result.refusal])).toEqual([
      ['done', null],
      ['refused', 'changed_meanwhile'],
    ]);
    expect(undo[1]?.reason).toBe('started meanwhile (now En route with Tomás Herrera)');
    expect(await job(first.id)).toMatchObject({ assignedAgentId: ids.agent2, status: 'assigned' });
    expect(await job(second.id)).toMatchObject({ assignedAgentId: ids.agent3, status: 'en_route' });
  });

  it('undoes an assignment of a job nobody had by unassigning it, and never unassigns a job under way', async () => {
    const jobs = await allJobs();
    const taken = new Set<string>();
    const free = pick(jobs, (candidate) => candidate.status === 'unassigned', taken);
    const [assigned] = await bulk('/api/v1/jobs/assignments', { jobIds: [free.id], agentId: ids.agent1, seen: [seen(free, false)] });
    if (!assigned?.job) throw new Error('the free job should have been assigned');
    const [undone] = await bulk('/api/v1/jobs/assignments', { jobIds: [free.id], agentId: null, seen: [seen(assigned.job, true)] });
    expect(undone?.job).toMatchObject({ status: 'unassigned', assignedAgentId: null });

    const driving = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent2, taken);
    await agentMoves('agent2', driving, 'en_route');
    const current = await job(driving.id);
    const [refused] = await bulk('/api/v1/jobs/assignments', { jobIds: [driving.id], agentId: null, seen: [seen(current, true)] });
    expect(refused).toMatchObject({ outcome: 'refused', refusal: 'not_applicable', reason: 'En route — under way; put it on hold to stop the work' });
  });
});

describe('a bulk hold or cancel on the server', () => {
  it('asks for a confirmation before holding work under way or on an agent, and skips what cannot be held', async () => {
    const jobs = await allJobs();
    const taken = new Set<string>();
    const free = pick(jobs, (candidate) => candidate.status === 'unassigned', taken);
    const closed = pick(jobs, (candidate) => candidate.status === 'closed', taken);
    const onList = pick(jobs, (candidate) => candidate.status === 'assigned' && candidate.assignedAgentId === ids.agent3, taken);
    const request = { jobIds: [free.id, closed.id, onList.id], status: 'on_hold', reason: 'Client asked us to pause' };
    const blind = await bulk('/api/v1/jobs/hold-or-cancel', request);
    expect(blind.map((result) => [result.outcome, result.refusal])).toEqual([
      ['done', null],
      ['refused', 'not_applicable'],
      ['refused', 'needs_confirmation'],
    ]);
    expect(blind[1]?.reason).toBe('Closed — cannot be put on hold');
    const [held] = await bulk('/api/v1/jobs/hold-or-cancel', { ...request, jobIds: [onList.id], seen: [seen(onList, true)] });
    expect(held?.job).toMatchObject({ status: 'on_hold', assignedAgentId: ids.agent3 });
  });
});
