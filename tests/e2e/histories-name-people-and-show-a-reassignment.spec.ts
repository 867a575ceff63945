import { demoAgent, expect, named, shellCachedForOffline, signIn, test, type ServerUnderTest } from './app-under-test';

interface ApiJob {
  id: string;
  version: number;
  status: string;
  customer: { name: string };
}

/** The dispatcher moves a job to another agent, as the office's API does. */
async function reassign(server: ServerUnderTest, job: ApiJob, agentId: string): Promise<void> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${server.url}/api/v1/jobs/${job.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ assignedAgentId: agentId, expectedVersion: job.version }),
  });
  expect(answer.status).toBe(200);
}

test("a job's history names people by name and role and lists its reassignment, on the agent's laptop and offline after a reload", async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const agent3 = await demoAgent(server, 'agent3');
  const { users } = await server.api<{ users: { id: string; displayName: string }[] }>('dispatcher1', '/api/v1/users?role=agent');
  const fromName = users.find((user) => user.id === agent1.id)?.displayName ?? '';
  const toName = users.find((user) => user.id === agent3.id)?.displayName ?? '';
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&status=assigned&limit=1`);
  const job = jobs[0];
  if (!job) throw new Error('agent1 has an assigned job');
  await reassign(server, job, agent3.id);

  const laptop = await openApp('history-laptop');
  await signIn(laptop, 'agent3');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();

  const history = laptop.getByRole('region', { name: 'History' });
  await expect(history).toContainText(`Reassigned from ${fromName} to ${toName}`);
  await expect(history.getByText(/, dispatcher$/).first()).toBeVisible();
  await expect(history).not.toContainText('Another user');
  await expect(history).not.toContainText('not yet known');
  await history.screenshot({ path: test.info().outputPath('history-with-names.png') });

  // The names stay on the laptop for the hours without signal.
  await shellCachedForOffline(laptop);
  await server.stop();
  await laptop.reload();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(history).toContainText(`Reassigned from ${fromName} to ${toName}`);
  await expect(history.getByText(/, dispatcher$/).first()).toBeVisible();
});

test("the supervisor's custody timeline names each laptop, not its device id", async ({ server, openApp }) => {
  const demo = await server.api<{ hits: { serial: string }[] }>('supervisor1', '/api/v1/custody/search?limit=1');
  const hit = demo.hits[0];
  if (!hit) throw new Error('the demo has custody records');
  const page = await openApp('device-names-supervisor');
  await signIn(page, 'supervisor1');
  await page.getByRole('button', { name: 'Supervise' }).click();
  await page.getByLabel('Search custody records').fill(hit.serial);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const first = page.locator('.supervise-event').first();
  await expect(first).toContainText(/recorded by .+ on .+'s laptop/);
  await expect(page.locator('.supervise-event').filter({ hasText: /-demo-laptop|[0-9a-f]{8}-[0-9a-f]{4}-/ })).toHaveCount(0);
});
