import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { JobList } from '../../shared/api/jobs';
import { z } from 'zod';
import { User } from '../../shared/domain/roles';
import { startTestServer, type TestServer } from './helpers/server';
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
    const list = JobList.parse((await server.api('/api/v1/jobs?limit=1', { token: tokens.dispatcher1 })).body);
    const jobId = list.jobs[0]?.id ?? '';
    const patch = await server.api(`/api/v1/jobs/${jobId}`, { method: 'PATCH', token: tokens.agent1, json: { priority: 'urgent' } });
    expect(patch.status).toBe(403);
    const detail = await server.api(`/api/v1/jobs/${jobId}`, { token: tokens.agent1 });
    expect(detail.status).toBe(403);
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
});
