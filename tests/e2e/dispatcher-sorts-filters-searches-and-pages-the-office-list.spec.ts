import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { expect, signIn, test, type ServerUnderTest } from './app-under-test';

interface Counts {
  total: number;
  byStatus: Record<string, number>;
}
interface Page {
  jobs: { customer: { name: string }; accountRef: string }[];
  total: number;
}

const ACCOUNTS = 1_200;

/** More jobs than any one page holds, imported the way a lessor's file arrives. */
async function importAccounts(server: ServerUnderTest): Promise<void> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
  const { token } = (await login.json()) as { token: string };
  const rows = Array.from({ length: ACCOUNTS }, (_, i) => accountRow(i + 1, { priority: i % 10 === 0 ? 'urgent' : 'normal' }));
  const answer = await fetch(`${server.url}/api/v1/jobs/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: accountsCsv(rows) });
  expect(answer.status).toBe(200);
}

test('a dispatcher finds any job among more than a page: search, filter, sort, page, and the board counts them all', async ({ server, openApp }) => {
  await importAccounts(server);
  const counts = await server.api<Counts>('dispatcher1', '/api/v1/jobs/counts');
  expect(counts.total).toBeGreaterThan(ACCOUNTS);

  const office = await openApp('dispatcher');
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  const list = office.getByRole('table');
  const count = office.locator('.list-count');
  await expect(count).toContainText(`${counts.total.toLocaleString('en-US')} jobs match`);

  // A job far past the first page is one search away.
  await office.getByLabel('Search jobs').fill('LC-001150');
  await expect(count).toContainText('1 job matches');
  await expect(list.getByRole('row')).toHaveCount(2);
  await expect(list.getByRole('cell', { name: /^Customer 1150/ })).toBeVisible();

  // Nothing found says what to do next.
  await office.getByLabel('Search jobs').fill('no-such-account-anywhere');
  await expect(office.getByText('No job matches these filters.')).toBeVisible();
  await office.locator('.empty-state').getByRole('button', { name: 'Clear filters' }).click();
  await expect(office.getByLabel('Search jobs')).toHaveValue('');
  await expect(count).toContainText(`${counts.total.toLocaleString('en-US')} jobs match`);

  // Filters are counted by the server over every job.
  await office.getByLabel('Filter by priority').selectOption('urgent');
  const urgent = await server.api<Page>('dispatcher1', '/api/v1/jobs?priority=urgent&limit=1');
  await expect(count).toContainText(`${urgent.total.toLocaleString('en-US')} jobs match`);
  await office.getByLabel('Filter by status').selectOption('unassigned');
  const urgentUnassigned = await server.api<Page>('dispatcher1', '/api/v1/jobs?priority=urgent&status=unassigned&limit=1');
  await expect(count).toContainText(`${urgentUnassigned.total.toLocaleString('en-US')} jobs match`);
  await office.getByRole('button', { name: 'Clear filters' }).first().click();

  // Sorting by a column header, both ways, over the whole organisation.
  const customerHeader = list.getByRole('columnheader', { name: 'Customer' });
  await customerHeader.getByRole('button').click();
  await expect(customerHeader).toHaveAttribute('aria-sort', 'ascending');
  const firstByName = (await server.api<Page>('dispatcher1', '/api/v1/jobs?sort=customer&dir=asc&limit=1')).jobs[0]?.customer.name ?? '';
  await expect(list.getByRole('row').nth(1)).toContainText(firstByName);
  await customerHeader.getByRole('button').click();
  await expect(customerHeader).toHaveAttribute('aria-sort', 'descending');
  const lastByName = (await server.api<Page>('dispatcher1', '/api/v1/jobs?sort=customer&dir=desc&limit=1')).jobs[0]?.customer.name ?? '';
  await expect(list.getByRole('row').nth(1)).toContainText(lastByName);
  await expect(list.getByRole('columnheader', { name: 'Due' })).toHaveAttribute('aria-sort', 'none');

  // Paging: the next page, and the last.
  const pager = office.getByRole('navigation', { name: 'Job list pages' });
  await expect(pager).toContainText(`1–50 of ${counts.total.toLocaleString('en-US')}`);
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText(`51–100 of ${counts.total.toLocaleString('en-US')}`);
  const secondPage = await server.api<Page>('dispatcher1', '/api/v1/jobs?sort=customer&dir=desc&limit=50&offset=50');
  await expect(list.getByRole('row').nth(1)).toContainText(secondPage.jobs[0]?.customer.name ?? '');
  await pager.getByRole('button', { name: 'Last' }).click();
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await office.screenshot({ path: test.info().outputPath('office-list.png'), fullPage: true });

  // The board's counts are the database's, for every status.
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Status board' }).click();
  await expect(office.getByText(`${counts.total.toLocaleString('en-US')} jobs in all`)).toBeVisible();
  for (const [status, label] of [['unassigned', 'Unassigned'], ['assigned', 'Assigned'], ['closed', 'Closed']] as const) {
    await expect(office.getByRole('region', { name: `${label}: ${(counts.byStatus[status] ?? 0).toLocaleString('en-US')}`, exact: true })).toBeVisible();
  }
  await office.screenshot({ path: test.info().outputPath('status-board.png'), fullPage: true });
});
