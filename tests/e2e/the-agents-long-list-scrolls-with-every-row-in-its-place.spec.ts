import type { Page } from '@playwright/test';
import { JobList } from '../../shared/api/jobs';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { demoAgent, expect, signIn, test, type ServerUnderTest } from './app-under-test';

/**
 * The agent's job list draws only the rows near the window, in the page's flow, and learns each
 * row's height from the browser after it is drawn. Rows of different heights (a second address
 * line, a long name that wraps) must still sit one under the other with no gap and no overlap,
 * cover the window wherever it is scrolled, reach the last job, and a new search must start at
 * its first job, not where the last result was scrolled to.
 */
const ACCOUNTS = 400;

async function importForAgent(server: ServerUnderTest, agentId: string): Promise<void> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'dispatcher1', password: 'demo1234' }) });
  const { token } = (await login.json()) as { token: string };
  const headers = { authorization: `Bearer ${token}` };
  const rows = Array.from({ length: ACCOUNTS }, (_, i) =>
    accountRow(i + 1, {
      account_ref: `LL-${String(i + 1).padStart(6, '0')}`,
      customer_name: i % 5 === 0 ? `Customer ${i + 1} Alexandrina Bartholomew-Castellanos de la Vega y Montgomery` : `Customer ${i + 1}`,
      address_line2: i % 3 === 0 ? `Apartment ${i + 1}, rear building, ring the second bell twice` : '',
    }),
  );
  const imported = await fetch(`${server.url}/api/v1/jobs/import`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: accountsCsv(rows) });
  expect(imported.status).toBe(200);
  const jobIds: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const answer = await fetch(`${server.url}/api/v1/jobs?limit=1000&offset=${offset}`, { headers });
    const page = JobList.parse(await answer.json());
    jobIds.push(...page.jobs.filter((job) => job.accountRef.startsWith('LL-')).map((job) => job.id));
    if (page.jobs.length < 1000) break;
  }
  expect(jobIds).toHaveLength(ACCOUNTS);
  const assigned = await fetch(`${server.url}/api/v1/jobs/assignments`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ jobIds, agentId }) });
  expect(assigned.status).toBe(200);
}

interface Placement {
  scrollTop: number;
  view: { top: number; bottom: number };
  rows: { position: number; top: number; bottom: number }[];
  setSize: number;
}

/** Where the drawn rows are, once the list has settled (two frames with nothing moving). */
async function placement(page: Page): Promise<Placement> {
  return page.evaluate(async () => {
    const read = () => {
      const scroller = document.querySelector('.job-list-scroller');
      if (!scroller) throw new Error('the job list has no scroller');
      const box = scroller.getBoundingClientRect();
      const rows = [...scroller.querySelectorAll<HTMLLIElement>('ul[aria-label="Jobs"] > li')].map((row) => {
        const rect = row.getBoundingClientRect();
        return { position: Number(row.getAttribute('aria-posinset')), top: rect.top, bottom: rect.bottom };
      });
      const setSize = Number(scroller.querySelector('ul[aria-label="Jobs"] > li')?.getAttribute('aria-setsize'));
      return { scrollTop: scroller.scrollTop, view: { top: box.top, bottom: box.bottom }, rows, setSize };
    };
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    let last = '';
    for (let tries = 0; tries < 60; tries += 1) {
      await frame();
      await frame();
      const now = read();
      if (JSON.stringify(now) === last) return now;
      last = JSON.stringify(now);
    }
    throw new Error('the job list kept moving for 120 frames');
  });
}

/** Rows follow one another by position, touching, and together they cover the scroller's window. */
function expectRowsInPlace({ rows, view }: Placement, where: string): void {
  expect(rows.length, `${where}: rows drawn`).toBeGreaterThan(0);
  rows.forEach((row, index) => {
    const previous = rows[index - 1];
    if (!previous) return;
    expect(row.position, `${where}: the row after position ${previous.position}`).toBe(previous.position + 1);
    expect(Math.abs(row.top - previous.bottom), `${where}: row ${row.position} starts where row ${previous.position} ends`).toBeLessThan(1);
  });
  const first = rows[0];
  const last = rows.at(-1);
  expect(first && first.top <= view.top + 1, `${where}: the first drawn row reaches the top of the window`).toBe(true);
  expect(last && last.bottom >= view.bottom - 1, `${where}: the last drawn row reaches the bottom of the window`).toBe(true);
}

test("the agent's list of hundreds of jobs of different heights scrolls with every row in its place", async ({ server, openApp }) => {
  const agent = await demoAgent(server, 'agent1');
  await importForAgent(server, agent.id);
  const total = JobList.parse(await server.api('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent.id}&limit=1`)).total;
  expect(total).toBeGreaterThanOrEqual(ACCOUNTS);

  const laptop = await openApp('laptop-long-list');
  await laptop.setViewportSize({ width: 1280, height: 800 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  const count = laptop.locator('.workspace-list .list-count');
  await expect(count).toHaveText(`${total} jobs`);

  // At the top: the first job first, and far fewer rows drawn than the list holds.
  const top = await placement(laptop);
  expect(top.setSize).toBe(total);
  expect(top.rows[0]?.position).toBe(1);
  expect(top.rows.length).toBeLessThan(total / 4);
  const heights = new Set(top.rows.map((row) => Math.round(row.bottom - row.top)));
  expect(heights.size, 'the rows are of more than one height').toBeGreaterThan(1);
  expectRowsInPlace(top, 'at the top');

  // Halfway, as a drag of the scrollbar lands: the window is covered, rows in order.
  const scroller = laptop.locator('.job-list-scroller');
  await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
  const middle = await placement(laptop);
  expect(middle.scrollTop).toBeGreaterThan(0);
  expect(middle.rows[0]?.position).toBeGreaterThan(1);
  expectRowsInPlace(middle, 'halfway');

  // The bottom: the last job is drawn, inside the window.
  for (let tries = 0; tries < 5; tries += 1) await scroller.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  const bottom = await placement(laptop);
  expectRowsInPlace({ ...bottom, view: { ...bottom.view, bottom: Math.min(bottom.view.bottom, bottom.rows.at(-1)?.bottom ?? 0) } }, 'at the bottom');
  const lastRow = bottom.rows.at(-1);
  expect(lastRow?.position).toBe(total);
  expect(lastRow && lastRow.bottom <= bottom.view.bottom + 1, 'the last job is inside the window').toBe(true);

  // A search from down there starts at its own first job.
  await laptop.getByLabel('Search jobs').fill('customer 1');
  const found = await laptop.evaluate(() => Number(document.querySelector('.workspace-list .list-count')?.textContent?.replace(/\D/g, '')));
  expect(found).toBeGreaterThan(20);
  const searched = await placement(laptop);
  expect(searched.scrollTop).toBe(0);
  expect(searched.rows[0]?.position).toBe(1);
  expect(searched.setSize).toBe(found);
  expectRowsInPlace(searched, 'after a search');
  await laptop.screenshot({ path: test.info().outputPath('long-list.png') });
});
