import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountRow } from '../fixtures/dispatch/accounts-csv';
import { importAccounts, officeApi } from './helpers/office-jobs';
import { startTestServer, type TestServer } from './helpers/server';

/*
 * Measured before issue 15: in a 10,040-job organisation the dispatcher's search found neither
 * the 5,000th nor the 10,000th imported account, because the screen searched only the first
 * 1,000 jobs it had loaded. The server searches all of them.
 */

const ACCOUNTS = 10_040;

let server: TestServer;
let api: ReturnType<typeof officeApi>;
beforeAll(async () => {
  server = await startTestServer();
  const dispatcher = (await server.login('dispatcher1')).token;
  api = officeApi(server, dispatcher);
  await importAccounts(server, dispatcher, 1, ACCOUNTS, (n) => accountRow(n));
}, 300_000);
afterAll(() => server.close());

it('counts every imported account', async () => {
  expect((await api.counts('q=lc-')).total).toBe(ACCOUNTS);
  expect((await api.list('q=lc-&limit=1')).total).toBe(ACCOUNTS);
});

for (const n of [5_000, 10_000]) {
  it(`finds account ${n} by its account, its customer, or part of its serial`, async () => {
    const account = `LC-${String(n).padStart(6, '0')}`;
    for (const q of [account, `Customer ${n}`, String(n).padStart(8, '0')]) {
      const found = await api.list(`q=${encodeURIComponent(q)}&limit=20`);
      expect(found.jobs.map((job) => job.accountRef), q).toContain(account);
      expect(found.total, q).toBeLessThanOrEqual(found.jobs.length);
    }
    const exact = await api.list(`q=${account}`);
    expect(exact.jobs.map((job) => job.accountRef)).toEqual([account]);
  });
}

it('shows the 10,000th account on the last page of the account order', async () => {
  const last = await api.list(`q=lc-&sort=account&dir=asc&limit=50&offset=${ACCOUNTS - 50}`);
  expect(last.jobs.at(-1)?.accountRef).toBe(`LC-${String(ACCOUNTS).padStart(6, '0')}`);
  expect(last.jobs.map((job) => job.accountRef)).toContain('LC-010000');
});
