import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail } from '../../shared/api/jobs';
import { BulkResult, ReviewList } from '../../shared/dispatch/dispatch-api';
import { DispatchAuditList } from '../../shared/dispatch/dispatch-api';
import { PullResponse, PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';

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

async function pullAll(token: string) {
  return PullResponse.parse((await server.api('/api/v1/sync/pull?limit=1000', { token, protocol: true })).body);
}

/** `from`: the agent the jobs are taken from, confirmed as the dispatcher saw them (Assigned to that agent). */
async function assign(jobIds: string[], agent: string | null, from: string | null = null) {
  const seen = from === null ? [] : jobIds.map((jobId) => ({ jobId, agentId: ids[from], status: 'assigned', confirmed: true }));
  const answer = await server.api('/api/v1/jobs/assignments', { token: tokens.dispatcher1, json: { jobIds, agentId: agent === null ? null : ids[agent], seen } });
  expect(answer.status).toBe(200);
  return BulkResult.parse(answer.body);
}

describe('an agent’s offline work on a job that was re-assigned meanwhile', () => {
  it('is kept on the server, flagged for the dispatcher, and the job leaves the agent', async () => {
    const agent2Jobs = (await pullAll(tokens.agent2 ?? '')).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    const job = agent2Jobs.find((candidate) => candidate.status === 'assigned');
    if (!job) throw new Error('agent2 needs an assigned job in the demo');

    // agent2, offline, starts driving and writes a note; the dispatcher re-assigns the job to agent3.
    const outbox = deviceOutbox('agent2-laptop');
    const drive = outbox.statusChange(job.id, 'assigned', 'en_route', ids.agent2 ?? '');
    const note = outbox.note(job.id, 'Gate code 1234, customer said come after 5', ids.agent2 ?? '');
    const moved = await assign([job.id], 'agent3', 'agent2');
    expect(moved.results[0]).toMatchObject({ outcome: 'done', job: { assignedAgentId: ids.agent3, status: 'assigned' } });

    const push = PushResponse.parse((await server.api('/api/v1/sync/push', { token: tokens.agent2, protocol: true, json: outbox.push([drive, note]) })).body);
    expect(push.results.map((result) => [result.outcome, result.code])).toEqual([
      ['applied', 'flagged'],
      ['applied', 'flagged'],
    ]);
    expect(push.results[0]?.reason).toMatch(/^Work arrived for a job that moved: .* recorded Assigned → En route/);

    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: tokens.dispatcher1 })).body);
    // agent3 has not started driving: the old agent's step is history, not the job's status.
    expect(detail.job).toMatchObject({ status: 'assigned', assignedAgentId: ids.agent3 });
    expect(detail.job.reviewReason).toMatch(/added a note after the job was taken from them/);
    expect(detail.statusChanges.map((change) => [change.from, change.to, change.byUserId]).at(-1)).toEqual(['assigned', 'en_route', ids.agent2]);
    expect(detail.notes.map((entry) => entry.text)).toContain('Gate code 1234, customer said come after 5');

    const agent2After = await pullAll(tokens.agent2 ?? '');
    expect(agent2After.changes.some((change) => change.entity === 'jobRemoval' && change.id === job.id)).toBe(true);
    expect(agent2After.changes.some((change) => change.entity === 'job' && change.data.id === job.id)).toBe(false);
    const agent3 = await pullAll(tokens.agent3 ?? '');
    expect(agent3.changes.some((change) => change.entity === 'jobNote' && change.data.id === note.data.id)).toBe(true);

    const inbox = ReviewList.parse((await server.api('/api/v1/review-inbox', { token: tokens.dispatcher1 })).body);
    expect(inbox.jobs.map((flagged) => flagged.id)).toContain(job.id);

    const cleared = await server.api(`/api/v1/review-inbox/${job.id}/clear`, { token: tokens.dispatcher1, json: { note: 'Called agent2' } });
    expect(cleared.status).toBe(200);
    const inboxAfter = ReviewList.parse((await server.api('/api/v1/review-inbox', { token: tokens.dispatcher1 })).body);
    expect(inboxAfter.jobs.map((flagged) => flagged.id)).not.toContain(job.id);
    const audit = DispatchAuditList.parse((await server.api(`/api/v1/dispatch/audit?jobId=${job.id}`, { token: tokens.dispatcher1 })).body);
    expect(audit.entries[0]).toMatchObject({ action: 'review.cleared', userId: ids.dispatcher1, detail: { note: 'Called agent2' } });
    expect(audit.entries[1]).toMatchObject({ action: 'job.changed', detail: { fromAgentId: ids.agent2, toAgentId: ids.agent3 } });
  });

  it('is still refused from an agent who never held the job', async () => {
    const agent1Jobs = (await pullAll(tokens.agent1 ?? '')).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    const job = agent1Jobs[0];
    if (!job) throw new Error('agent1 needs a job');
    const outbox = deviceOutbox('agent3-laptop');
    const push = PushResponse.parse((await server.api('/api/v1/sync/push', { token: tokens.agent3, protocol: true, json: outbox.push([outbox.note(job.id, 'not mine', ids.agent3 ?? '')]) })).body);
    expect(push.results[0]).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
  });

  it('bulk assignment moves many jobs and reports the ones that cannot move', async () => {
    const imported = (await pullAll(tokens.dispatcher1 ?? '')).changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    const unassigned = imported.filter((candidate) => candidate.status === 'unassigned' && candidate.assignedAgentId === null).slice(0, 3);
    expect(unassigned.length).toBeGreaterThan(1);
    const hold = await server.api('/api/v1/jobs/hold-or-cancel', { token: tokens.dispatcher1, json: { jobIds: [unassigned[0]?.id], status: 'cancelled', reason: 'Customer paid in full' } });
    expect(BulkResult.parse(hold.body).results[0]).toMatchObject({ outcome: 'done', job: { status: 'cancelled' } });
    const result = await assign(unassigned.map((candidate) => candidate.id), 'agent2');
    expect(result.results.map((entry) => entry.outcome)).toEqual(['refused', ...unassigned.slice(1).map(() => 'done')]);
    expect(result.results[0]?.reason).toMatch(/Cancelled/);
    const noReason = await server.api('/api/v1/jobs/hold-or-cancel', { token: tokens.dispatcher1, json: { jobIds: [unassigned[1]?.id], status: 'on_hold', reason: ' ' } });
    expect(noReason.status).toBe(400);
  });
});
