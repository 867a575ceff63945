import type { Page } from '@playwright/test';
import { JobList } from '../../shared/api/jobs';
import type { Job } from '../../shared/domain/job';
import { matchesSearchPrefixes, searchPrefixes, searchWordsForJob } from '../../renderer/db/search-words';
import { demoAgent, expect, named, signIn, test } from './app-under-test';

/**
 * The job list searches the words it holds in memory, so each key press shows its own answer at
 * once. Typed key by key — slowly, then as fast as the keyboard goes — the list must show after
 * every key exactly the jobs that key's text finds, and end on the job with that serial; after a
 * reload too, when the words are read back from IndexedDB instead of following the sync's writes.
 */
function countLine(count: number): string {
  return count === 0 ? 'No jobs match this search.' : `${count} job${count === 1 ? '' : 's'}`;
}

async function typeKeyByKey(page: Page, jobs: readonly Job[], text: string): Promise<void> {
  const search = page.getByLabel('Search jobs');
  for (let typed = 1; typed <= text.length; typed += 1) {
    await search.press(text[typed - 1] ?? '');
    const prefixes = searchPrefixes(text.slice(0, typed));
    const found = jobs.filter((job) => matchesSearchPrefixes(searchWordsForJob(job), prefixes)).length;
    await expect(page.locator('.workspace-list').getByText(countLine(found), { exact: true }), `after "${text.slice(0, typed)}"`).toBeVisible();
  }
}

test('an agent types a serial key by key and the list follows every key to the job', async ({ server, openApp }) => {
  const agent = await demoAgent(server, 'agent1');
  const mine = JobList.parse(await server.api('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent.id}&limit=1000`)).jobs;
  const job = mine.find((candidate) => (candidate.items[0]?.serial ?? '').length >= 6);
  if (!job) throw new Error('agent1 has no job with an item serial');
  const serial = job.items[0]?.serial ?? '';
  const theJob = (page: Page) => page.getByRole('button', { name: named(job.customer.name) });

  const laptop = await openApp('laptop-a');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  // The laptop holds the agent's jobs as the office lists them; the counts below are theirs.
  await expect(laptop.locator('.workspace-list .list-count')).toHaveText(countLine(mine.length));

  await typeKeyByKey(laptop, mine, serial);
  await expect(theJob(laptop)).toBeVisible();

  // As fast as the keys go: only the last text's answer may stay on screen.
  const search = laptop.getByLabel('Search jobs');
  await search.fill('');
  await expect(laptop.locator('.workspace-list .list-count')).toHaveText(countLine(mine.length));
  await search.pressSequentially(`${serial.toLowerCase()} ${job.customer.name.split(' ')[0] ?? ''}`);
  await expect(laptop.locator('.workspace-list .list-count')).toHaveText('1 job');
  await expect(theJob(laptop)).toBeVisible();

  // After a reload the words are read back from IndexedDB.
  await laptop.reload();
  await expect(laptop.locator('.workspace-list .list-count')).toHaveText(countLine(mine.length));
  await typeKeyByKey(laptop, mine, serial);
  await expect(theJob(laptop)).toBeVisible();
});
