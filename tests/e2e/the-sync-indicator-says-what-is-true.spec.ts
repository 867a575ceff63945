import type { Page } from '@playwright/test';
import { demoAgent, expect, named, shellCachedForOffline, signIn, test } from './app-under-test';

/** The header's box: the indicator changing its words must never move or resize it. */
async function headerBox(page: Page) {
  const box = await page.locator('.app-header').boundingBox();
  if (!box) throw new Error('the header is not on screen');
  return box;
}

test('the sync indicator says offline, server down and synced only when each is true, and the header never moves', async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: { status: string; customer: { name: string } }[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned');
  if (!job) throw new Error('agent1 has no job in status assigned');

  const laptop = await openApp('laptop-a');
  await signIn(laptop, 'agent1');
  const indicator = laptop.getByTestId('sync-indicator');
  // Synced, with the time of the round that succeeded.
  await expect(indicator).toHaveAttribute('data-state', 'synced');
  await expect(indicator).toContainText(/^Synced at \d\d:\d\d/);
  const header = await headerBox(laptop);
  await shellCachedForOffline(laptop);

  // No network: offline with the changes waiting, never "Sending 0 of 2".
  await laptop.context().setOffline(true);
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await laptop.getByRole('button', { name: 'Start driving' }).click();
  await laptop.getByLabel('Add a note').fill('Left a card at the door');
  await laptop.getByRole('button', { name: 'Add note' }).click();
  await expect(indicator).toHaveAttribute('data-state', 'offline');
  await expect(indicator).toContainText('Offline · 2 changes waiting');
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(indicator).toContainText('Offline · 2 changes waiting');
  await expect(indicator).not.toContainText('Sending');
  expect(await headerBox(laptop)).toEqual(header);

  // The network is back but the server is down: it says so, and when it tries again; not "Synced".
  await server.stop();
  await laptop.context().setOffline(false);
  await expect(indicator).toHaveAttribute('data-state', 'unreachable');
  await expect(indicator).toContainText(/Can't reach the server — retrying at \d\d:\d\d · 2 changes waiting/);
  await expect(indicator).not.toContainText('Synced');
  expect(await headerBox(laptop)).toEqual(header);

  // The server is back: one successful round, and only then "Synced at".
  await server.start();
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(indicator).toHaveAttribute('data-state', 'synced');
  await expect(indicator).toContainText(/^Synced at \d\d:\d\d/);
  await expect(indicator).not.toContainText('waiting');
  expect(await headerBox(laptop)).toEqual(header);
});
