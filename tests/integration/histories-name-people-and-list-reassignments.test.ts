import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetail, JobList } from '../../shared/api/jobs';
import { PeopleOnJobs } from '../../shared/api/people';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const names: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['dispatcher1', 'agent1', 'agent2', 'agent3']) {
    const login = await server.login(name);
    tokens[name] = login.token;
    ids[name] = login.user.id;
    names[name] = login.user.displayName;
  }
});
afterAll(() => server.close());

async function peopleFor(name: string) {
  const answer = await server.api('/api/v1/people', { token: tokens[name] });
  expect(answer.status).toBe(200);
  return PeopleOnJobs.parse(answer.body).people;
}

async function authorsOnJobsOf(agentId: string): Promise<Set<string>> {
  const list = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${agentId}&limit=100`, { token: tokens.dispatcher1 })).body);
  const authors = new Set<string>([agentId]);
  for (const job of list.jobs) {
    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: tokens.dispatcher1 })).body);
    for (const entry of [...detail.statusChanges, ...detail.notes]) authors.add(entry.byUserId);
  }
  return authors;
}

describe("a job's history names people and lists reassignments", () => {
  it("gives an agent the names and roles of the people on their own jobs' records, and no one else's", async () => {
    const people = await peopleFor('agent1');
    expect(new Set(people.map((person) => person.id))).toEqual(await authorsOnJobsOf(ids.agent1 ?? ''));
    expect(people.map((person) => person.id)).not.toContain(ids.agent3);
    for (const person of people) expect(Object.keys(person).sort()).toEqual(['displayName', 'id', 'role']);
    expect(people).toContainEqual({ id: ids.dispatcher1, displayName: names.dispatcher1, role: 'dispatcher' });
  });

  it('gives the office everyone, since it reads every job', async () => {
    const people = (await peopleFor('dispatcher1')).map((person) => person.id);
    for (const name of ['agent1', 'agent2', 'agent3', 'dispatcher1']) expect(people).toContain(ids[name]);
  });

  it('records a reassignment in the job history by name, and the new agent then learns who made it', async () => {
    const list = JobList.parse((await server.api(`/api/v1/jobs?assignedAgentId=${ids.agent1}&status=assigned&limit=1`, { token: tokens.dispatcher1 })).body);
    const job = list.jobs[0];
    if (!job) throw new Error('agent1 has no assigned job');
    const patched = await server.api(`/api/v1/jobs/${job.id}`, { method: 'PATCH', token: tokens.dispatcher1, json: { assignedAgentId: ids.agent3, expectedVersion: job.version } });
    expect(patched.status).toBe(200);

    const detail = JobDetail.parse((await server.api(`/api/v1/jobs/${job.id}`, { token: tokens.dispatcher1 })).body);
    expect(detail.statusChanges.at(-1)).toMatchObject({ from: 'assigned', to: 'assigned', byUserId: ids.dispatcher1, reason: `Reassigned from ${names.agent1} to ${names.agent3}` });

    const forAgent3 = await peopleFor('agent3');
    expect(forAgent3).toContainEqual({ id: ids.dispatcher1, displayName: names.dispatcher1, role: 'dispatcher' });
    expect(new Set(forAgent3.map((person) => person.id))).toEqual(await authorsOnJobsOf(ids.agent3 ?? ''));
  });
});
