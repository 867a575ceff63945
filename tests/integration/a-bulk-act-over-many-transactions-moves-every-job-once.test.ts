import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { BulkResult, DispatchAuditList, ImportReport } from '../../shared/dispatch/dispatch-api';
import type { Job } from '../../shared/domain/job';
import { PullResponse } from '../../shared/sync/protocol';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * A bulk act larger than one transaction's share of jobs (500; on PostgreSQL two run at once):
 * every job moves exactly once, the answer keeps the order asked, a refused job in the middle is
 * named, and the agent's laptop gets every job, then every removal, as with a bulk of one.
 */
const JOBS = 1_100;
let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent3', 'dispatcher1']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    ids[name] = login.user.id;
  }
});
afterAll(() => server.close());

async function allJobs(): Promise<Job[]> {
  const jobs: Job[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = JobList.parse((await server.api(`/api/v1/jobs?limit=1000&offset=${offset}`, { token: tokens.dispatcher1 })).body);
    jobs.push(...page.jobs);
    if (page.jobs.length < 1000) return jobs;
  }
}

async function pullFrom(cursor: string): Promise<{ changes: PullResponse['changes']; cursor: string }> {
  const changes: PullResponse['changes'] = [];
  for (;;) {
    const page = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token: tokens.agent3, protocol: true })).body);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

async function bulk(json: unknown): Promise<BulkResult['results']> {
  const answer = await server.api('/api/v1/jobs/assignments', { token: tokens.dispatcher1, json });
  expect(answer.status).toBe(200);
  return BulkResult.parse(answer.body).results;
}

describe('a bulk assignment of more jobs than one transaction takes', () => {
  it('moves every job once, refuses the closed one by name, and the agent gets every job and then every removal', async () => {
    const rows = Array.from({ length: JOBS }, (_, n) => accountRow(n + 1, { client: 'Many Chunks Leasing', account_ref: `CHUNK-${n + 1}`, item_serial: `CHUNK${n + 1}` }));
    const imported = await server.api('/api/v1/jobs/import', { method: 'POST', token: tokens.dispatcher1, body: accountsCsv(rows), headers: { 'content-type': 'text/csv' } });
    expect(ImportReport.parse(imported.body).counts.rows).toBe(JOBS);
    const jobs = await allJobs();
    const mine = jobs.filter((job) => job.accountRef.startsWith('CHUNK-'));
    expect(mine).toHaveLength(JOBS);
    const closed = jobs.find((job) => job.status === 'closed');
    if (!closed) throw new Error('the demo organisation needs a closed job');
    const { cursor } = await pullFrom('0');

    // The closed job sits in the middle of the second transaction's share.
    const asked = [...mine.slice(0, 700).map((job) => job.id), closed.id, ...mine.slice(700).map((job) => job.id)];
    const assigned = await bulk({ jobIds: asked, agentId: ids.agent3 });
    expect(assigned.map((result) => result.jobId)).toEqual(asked);
    expect(assigned.filter((result) => result.outcome === 'done')).toHaveLength(JOBS);
    expect(assigned[700]).toMatchObject({ jobId: closed.id, outcome: 'refused', refusal: 'not_applicable', reason: 'Closed — cannot be assigned' });
    for (const result of assigned.filter((entry) => entry.jobId !== closed.id)) {
      expect(result.job).toMatchObject({ status: 'assigned', assignedAgentId: ids.agent3, version: 2 });
    }

    // One from each transaction's share: one status change naming the agent, one audit line.
    for (const job of [mine[0]!, mine[600]!, mine[JOBS - 1]!]) {
      const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: tokens.dispatcher1 })).body);
      expect(detail.statusChanges.map((change) => change.reason)).toEqual(['Assigned to Tomás Herrera']);
      const audit = DispatchAuditList.parse((await server.api(`/api/v1/dispatch/audit?jobId=${job.id}`, { token: tokens.dispatcher1 })).body);
      expect(audit.entries.filter((entry) => entry.action === 'job.changed')).toHaveLength(1);
    }

    const given = await pullFrom(cursor);
    const jobsGiven = given.changes.flatMap((change) => (change.entity === 'job' ? [change.data] : []));
    expect(new Set(jobsGiven.map((job) => job.id))).toEqual(new Set(mine.map((job) => job.id)));
    expect(jobsGiven.every((job) => job.assignedAgentId === ids.agent3 && job.status === 'assigned')).toBe(true);
    expect(given.changes.filter((change) => change.entity === 'jobStatusChange')).toHaveLength(JOBS);

    // Undo: the dispatcher confirms taking them back; every job leaves the agent's laptop.
    const seen = assigned.flatMap((result) => (result.job ? [{ jobId: result.jobId, agentId: result.job.assignedAgentId, status: result.job.status, confirmed: true }] : []));
    const undone = await bulk({ jobIds: seen.map((entry) => entry.jobId), agentId: null, seen });
    expect(undone.every((result) => result.outcome === 'done' && result.job?.status === 'unassigned' && result.job.version === 3)).toBe(true);
    const removed = await pullFrom(given.cursor);
    const removals = removed.changes.flatMap((change) => (change.entity === 'jobRemoval' ? [change.id] : []));
    expect(removals.sort()).toEqual(mine.map((job) => job.id).sort());
  });
});
