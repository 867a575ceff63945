import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { JobList } from '../../shared/api/jobs';
import { z } from 'zod';
import { User } from '../../shared/domain/roles';
import { PushResponse } from '../../shared/sync/protocol';
import { deviceOutbox, startTestServer, type TestServer } from './helpers/server';
import { HISTORY_JOB_COUNT } from '../../server/demo/demo-history';

let server: TestServer;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['agent1', 'dispatcher1', 'supervisor1', 'admin']) tokens[name] = (await server.login(name)).token;
});
afterAll(() => server.close());

describe('office routes', () => {
  it.each(['/api/v1/jobs', '/api/v1/users?role=agent'])('refuse an agent with 403 forbidden on %s', async (path) => {
    const answer = await server.api(path, { token: tokens.agent1 });
    expect(answer.status).toBe(403);
    expect(Problem.parse(answer.body).code).toBe('forbidden');
  });

  it('refuse an agent creating or changing a job', async () => {
    const list = JobList.parse((await server.api('/api/v1/jobs?limit=200', { token: tokens.dispatcher1 })).body);
    const me = z.object({ user: User }).parse((await server.api('/api/v1/auth/me', { token: tokens.agent1 })).body).user;
    const own = list.jobs.find((job) => job.assignedAgentId === me.id);
    const other = list.jobs.find((job) => job.assignedAgentId !== me.id);
    if (!own || !other) throw new Error('the demo has jobs for agent1 and for others');
    const patch = await server.api(`/api/v1/jobs/${own.id}`, { method: 'PATCH', token: tokens.agent1, json: { priority: 'urgent' } });
    expect(patch.status).toBe(403);
    // Reading a job is an agent's right on their own jobs only; another's is not confirmed to exist.
    expect((await server.api(`/api/v1/jobs/${own.id}`, { token: tokens.agent1 })).status).toBe(200);
    expect((await server.api(`/api/v1/jobs/${other.id}`, { token: tokens.agent1 })).status).toBe(404);
  });

  it('refuse a supervisor writing a job: supervisors audit, dispatchers write', async () => {
    const jobId = JobList.parse((await server.api('/api/v1/jobs?limit=1', { token: tokens.dispatcher1 })).body).jobs[0]?.id ?? '';
    const patch = await server.api(`/api/v1/jobs/${jobId}`, { method: 'PATCH', token: tokens.supervisor1, json: { priority: 'urgent' } });
    expect(patch.status).toBe(403);
    expect(Problem.parse(patch.body).detail).toBe('Only these roles may do this: dispatcher, admin.');
  });

  it.each(['dispatcher1', 'supervisor1', 'admin'])('let %s list jobs and agents', async (name) => {
    const jobs = await server.api('/api/v1/jobs', { token: tokens[name] });
    expect(jobs.status).toBe(200);
    // 40 jobs to work plus the demo's closed history (demo-history.ts).
    expect(JobList.parse(jobs.body).total).toBe(40 + HISTORY_JOB_COUNT);
    const agents = z.object({ users: z.array(User) }).parse((await server.api('/api/v1/users?role=agent', { token: tokens[name] })).body);
    expect(agents.users.map((user) => user.username).sort()).toEqual(['agent1', 'agent2', 'agent3']);
  });

  it('answer 401, not 403, when nobody is signed in', async () => {
    const answer = await server.api('/api/v1/jobs');
    expect(answer.status).toBe(401);
    expect(Problem.parse(answer.body).code).toBe('unauthenticated');
  });
});

describe('sync routes', () => {
  it('are open to every signed-in role', async () => {
    for (const token of Object.values(tokens)) {
      expect((await server.api('/api/v1/sync/pull?limit=1', { token, protocol: true })).status).toBe(200);
    }
  });

  it('refuse an office status change from a supervisor, as the jobs API does: a job write by any door', async () => {
    const jobs = JobList.parse((await server.api('/api/v1/jobs?status=assigned&limit=2', { token: tokens.dispatcher1 })).body).jobs;
    const [first, second] = jobs;
    if (!first || !second) throw new Error('the demo has assigned jobs');
    async function putOnHold(name: string, jobId: string) {
      const me = z.object({ user: User }).parse((await server.api('/api/v1/auth/me', { token: tokens[name] })).body).user;
      const outbox = deviceOutbox(`${name}-desk`);
      const pushed = await server.api('/api/v1/sync/push', { token: tokens[name], protocol: true, json: outbox.push([outbox.statusChange(jobId, 'assigned', 'on_hold', me.id)]) });
      expect(pushed.status).toBe(200);
      return PushResponse.parse(pushed.body).results[0];
    }
    const bySupervisor = await putOnHold('supervisor1', first.id);
    expect(bySupervisor).toMatchObject({ outcome: 'rejected', code: 'forbidden' });
    expect(bySupervisor?.reason).toContain('dispatcher, admin');
    expect(await putOnHold('dispatcher1', second.id)).toMatchObject({ outcome: 'applied' });
  });
});
