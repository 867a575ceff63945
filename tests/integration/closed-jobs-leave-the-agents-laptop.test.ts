import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { PullResponse, type Change } from '../../shared/sync/protocol';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function pullAll(token: string, cursor: string): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = [];
  for (;;) {
    const page = PullResponse.parse((await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=200`, { token, protocol: true })).body);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

it('sends the agent a removal once the office cancels one of their jobs, after its final state', async () => {
  const agent = await server.login('agent1');
  const office = await server.login('dispatcher1');
  const first = await pullAll(agent.token, '0');
  const jobs = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agent.user.id}&status=assigned`, { token: office.token })).body).jobs;
  const job = jobs[0];
  expect(job).toBeDefined();
  if (!job) return;

  const cancel = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: office.token, json: { status: 'cancelled', statusReason: 'Customer paid' } });
  expect(cancel.status).toBe(200);

  const next = await pullAll(agent.token, first.cursor);
  const forJob = next.changes.filter((change) => (change.entity === 'jobRemoval' ? change.id === job.id : 'data' in change && (change.data as { id?: string; jobId?: string }).id === job.id));
  expect(forJob.map((change) => change.entity)).toEqual(['job', 'jobRemoval']);
  expect(next.changes.at(-1)).toMatchObject({ entity: 'jobRemoval', id: job.id });
});
