import type { Page } from '@playwright/test';
import { demoAgent, expect, named, shellCachedForOffline, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  assignedAgentId: string | null;
  customer: { name: string };
  items: { serial: string }[];
}
test('an agent works offline, reloads, and everything reaches the server and a second laptop', async ({
  server,
  openApp,
}) => {
  const agent1 = await demoAgent(server, 'agent1');
  const agent2 = await demoAgent(server, 'agent2');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}`);
  const theirs = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent2.id}`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned');
  if (!job) throw new Error('agent1 has no job in status assigned');
  const notOurs = theirs.jobs[0];
  if (!notOurs) throw new Error('agent2 has no job');

  const laptop = await openApp('laptop-a');
  await expect(laptop.getByLabel('Server address')).toHaveValue(server.url);
  await signIn(laptop, 'agent1');

  // The assigned jobs arrive with the first sync; another agent's never do.
  for (const assigned of mine.jobs.slice(0, 5)) {
    await expect(laptop.getByRole('button', { name: named(assigned.customer.name) })).toBeVisible();
  }
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await expect(laptop.getByRole('button', { name: named(notOurs.customer.name) })).toHaveCount(0);

  // Search finds a job by an expected item's serial.
  const serial = job.items[0]?.serial ?? '';
  await laptop.getByLabel('Search jobs').fill(serial);
  await expect(laptop.getByRole('button', { name: named(job.customer.name) })).toBeVisible();
  await laptop.getByLabel('Search jobs').fill('');

  // The offline app shell must be installed before the network goes.
  await shellCachedForOffline(laptop);

  await server.stop();

  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await laptop.getByRole('button', { name: 'Start driving' }).click();
  await expect(laptop.getByTestId('job-status')).toHaveText('En route');
  const note = `Gate code 4471, dog in the yard (${Date.now()})`;
  await laptop.getByLabel('Add a note').fill(note);
  await laptop.getByRole('button', { name: 'Add note' }).click();
  await expect(laptop.getByText(note)).toBeVisible();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');

  // A reload with no server: still signed in, the changes are still there, still waiting.
  await laptop.reload();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(laptop.getByTestId('job-status')).toHaveText('En route');
  await expect(laptop.getByText(note)).toBeVisible();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');

  await server.start();
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');

  const detail = await server.api<{ job: ApiJob; notes: { text: string }[] }>('dispatcher1', `/api/v1/jobs/${job.id}`);
  expect(detail.job.status).toBe('en_route');
  expect(detail.notes.map((n) => n.text)).toContain(note);

  // A second laptop signed in as the same agent sees the work after its own sync.
  const second = await openApp('laptop-b');
  await signIn(second, 'agent1');
  await expect(second.getByTestId('sync-indicator')).toContainText('Synced');
  await second.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(second.getByTestId('job-status')).toHaveText('En route');
  await expect(second.getByText(note)).toBeVisible();
});
