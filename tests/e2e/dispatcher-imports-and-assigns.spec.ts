import type { Page } from '@playwright/test';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { demoAgent, expect, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  assignedAgentId: string | null;
  reviewReason: string | null;
  accountRef: string;
  customer: { name: string };
}
const customers = ['Avery Stone', 'Blake Ortiz', 'Casey Nguyen', 'Devon Price', 'Emerson Hale', 'Finley Park', 'Gray Moreno', 'Harper Quinn', 'Indy Walsh', 'Jordan Reyes'];

/** 10 good accounts and 3 bad rows, each bad in its own way. */
function lessorFile(): string {
  const good = customers.map((name, index) => accountRow(index + 1, { client: 'Lakeshore Cable', account_ref: `E2E-${index + 1}`, customer_name: name, item_serial: `E2E-SN-${index + 1}` }));
  const bad = [
    accountRow(11, { account_ref: 'E2E-11', customer_name: 'Kai Bad Address', address_line1: '', item_serial: 'E2E-SN-11' }),
    accountRow(12, { account_ref: 'E2E-12', customer_name: 'Lee Bad Date', due_date: '2026-13-01', item_serial: 'E2E-SN-12' }),
    accountRow(13, { account_ref: 'E2E-13', customer_name: 'Max Bad Zone', time_zone: 'Central Time', item_serial: 'E2E-SN-13' }),
  ];
  return accountsCsv([...good, ...bad]);
}

/** `takesFromOthers`: the jobs are on another agent's list, so the dispatcher is asked first and confirms. */
async function assignTo(page: Page, names: readonly string[], agentLabel: RegExp, takesFromOthers = false): Promise<void> {
  await page.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Jobs', exact: true }).click();
  // The list pages on the server; a selection holds across searches, so find each job and tick it.
  for (const name of names) {
    await page.getByLabel('Search jobs').fill(name);
    await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  }
  await page.getByLabel('Agent', { exact: true }).selectOption({ label: (await page.getByLabel('Agent', { exact: true }).locator('option').allTextContents()).find((text) => agentLabel.test(text)) ?? '' });
  await page.getByRole('button', { name: 'Assign selected' }).click();
  if (takesFromOthers) await page.getByRole('alertdialog').getByRole('button', { name: /^Assign all/ }).click();
  await expect(page.getByRole('status').filter({ hasText: `Assigned ${names.length} job` })).toBeVisible();
}

test('a dispatcher imports a file, assigns jobs, re-assigns one an agent changed offline, and reviews it', async ({ server, openApp }) => {
  const office = await openApp('dispatcher');
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('button', { name: 'Import', exact: true }).click();
  await office.getByLabel('File to import').setInputFiles({ name: 'lakeshore.csv', mimeType: 'text/csv', buffer: Buffer.from(lessorFile()) });

  await expect(office.getByText('13 rows:')).toBeVisible();
  await expect(office.getByText('10 good', { exact: true })).toBeVisible();
  await expect(office.getByText('3 with problems', { exact: true })).toBeVisible();
  await expect(office.getByText('missing address (address_line1)')).toBeVisible();
  await expect(office.getByText('bad due date "2026-13-01" (use YYYY-MM-DD)')).toBeVisible();
  await expect(office.getByText(/unknown time zone "Central Time"/)).toBeVisible();
  await office.screenshot({ path: test.info().outputPath('import-preview.png'), fullPage: true });

  await office.getByRole('button', { name: 'Import 10 good rows' }).click();
  await expect(office.getByText('Imported: 10 new jobs, 0 updated, 0 unchanged; 0 need a pin on the map.')).toBeVisible();

  const assigned = customers.slice(0, 3);
  await assignTo(office, assigned, /agent2/);
  await office.screenshot({ path: test.info().outputPath('job-list.png'), fullPage: true });

  const laptop = await openApp('agent2');
  await signIn(laptop, 'agent2');
  for (const name of assigned) await expect(laptop.getByRole('button', { name: new RegExp(name) })).toBeVisible();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');

  // agent2 loses signal and starts driving to the first job.
  const [moving] = assigned;
  if (!moving) throw new Error('no job');
  await laptop.context().setOffline(true);
  await laptop.getByRole('button', { name: new RegExp(moving) }).click();
  await laptop.getByRole('button', { name: 'Start driving' }).click();
  await expect(laptop.getByTestId('job-status')).toHaveText('En route');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');

  // Meanwhile the dispatcher moves that job to agent3.
  await assignTo(office, [moving], /agent3/, true);

  await laptop.context().setOffline(false);
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');
  await expect(laptop.getByRole('button', { name: new RegExp(moving) })).toHaveCount(0);
  for (const name of assigned.slice(1)) await expect(laptop.getByRole('button', { name: new RegExp(name) })).toBeVisible();

  const agent2 = await demoAgent(server, 'agent2');
  const agent3 = await demoAgent(server, 'agent3');
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', '/api/v1/jobs?q=E2E-1');
  const job = jobs.find((candidate) => candidate.customer.name === moving);
  expect(job?.assignedAgentId).toBe(agent3.id);
  expect(job?.reviewReason).toMatch(/^Work arrived for a job that moved/);
  const detail = await server.api<{ statusChanges: { to: string; byUserId: string }[] }>('dispatcher1', `/api/v1/jobs/${job?.id ?? ''}`);
  expect(detail.statusChanges.some((change) => change.to === 'en_route' && change.byUserId === agent2.id)).toBe(true);

  // The review inbox shows it without a reload: the live feed refreshed the count.
  await expect(office.getByRole('button', { name: 'Review inbox (1)' })).toBeVisible({ timeout: 10_000 });
  await office.getByRole('button', { name: 'Review inbox (1)' }).click();
  await expect(office.getByText(/Work arrived for a job that moved: .* recorded Assigned → En route/)).toBeVisible();
  await office.screenshot({ path: test.info().outputPath('review-inbox.png'), fullPage: true });
  await office.getByRole('button', { name: 'Status board' }).click();
  await office.screenshot({ path: test.info().outputPath('status-board.png'), fullPage: true });
});
