import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { DispatchAuditList, ImportReport } from '../../shared/dispatch/dispatch-api';
import { accountRow, accountsCsv, generatedAccountsCsv } from '../fixtures/dispatch/accounts-csv';
import { startTestServer, type TestServer } from './helpers/server';

/** Plays a Nominatim /search endpoint: an external service, so a fake is the honest test. */
async function fakeNominatim(): Promise<{ url: string; queries: URLSearchParams[]; close: () => Promise<void> }> {
  const queries: URLSearchParams[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    queries.push(url.searchParams);
    const street = url.searchParams.get('street') ?? '';
    const body = street.includes('Nowhere') ? [] : [{ lat: '41.9000', lon: '-87.6500', display_name: street }];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, queries, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function importCsv(server: TestServer, token: string, csv: string, dryRun: boolean): Promise<ImportReport> {
  const answer = await server.api(`/api/v1/jobs/import${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', token, body: csv, headers: { 'content-type': 'text/csv' } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return ImportReport.parse(answer.body);
}

describe('importing accounts', () => {
  let server: TestServer;
  let nominatim: Awaited<ReturnType<typeof fakeNominatim>>;
  let token = '';
  beforeAll(async () => {
    nominatim = await fakeNominatim();
    server = await startTestServer({ geocoderUrl: nominatim.url });
    token = (await server.login('dispatcher1')).token;
  });
  afterAll(async () => {
    await server.close();
    await nominatim.close();
  });

  const total = async (q: string) => JobList.parse((await server.api(`/api/v1/jobs?q=${encodeURIComponent(q)}`, { token })).body).total;

  const file = accountsCsv([
    accountRow(1),
    accountRow(1, { item_serial: 'SN-EXTRA-1', item_type: 'router', customer_name: '' }),
    accountRow(2, { lat: '', lon: '', address_line1: '5 W Nowhere Ave' }),
    accountRow(3, { lat: '', lon: '' }),
    accountRow(4, { due_date: 'tomorrow' }),
    accountRow(5, { time_zone: 'Chicago' }),
  ]);

  it('previews without writing anything, then imports the good rows only', async () => {
    const preview = await importCsv(server, token, file, true);
    expect(preview.counts).toEqual({ rows: 6, goodRows: 4, badRows: 2, accounts: 3, created: 3, updated: 0, unchanged: 0, needsPin: 0 });
    expect(preview.rows[4]?.problems).toEqual(['bad due date "tomorrow" (use YYYY-MM-DD)']);
    expect(preview.rows[5]?.problems[0]).toMatch(/^unknown time zone "Chicago"/);
    expect(preview.rows[3]?.notes).toEqual(['no coordinates: will be geocoded on import', 'new job']);
    expect(await total('lc-00000')).toBe(0);
    expect(nominatim.queries).toHaveLength(0);

    const done = await importCsv(server, token, file, false);
    expect(done.counts).toMatchObject({ created: 3, updated: 0, unchanged: 0, needsPin: 1 });
    expect(done.rows[2]?.notes).toEqual(['needs a pin: the geocoder found no match for the address', 'new job']);
    expect(done.rows[3]?.notes).toEqual(['geocoded', 'new job']);
    expect(await total('lc-00000')).toBe(3);
    expect(nominatim.queries.map((query) => query.get('city'))).toEqual(['Chicago', 'Chicago']);

    const jobs = JobList.parse((await server.api('/api/v1/jobs?q=LC-000003', { token })).body).jobs;
    expect(jobs[0]?.address).toMatchObject({ lat: 41.9, lon: -87.65 });
    expect(jobs[0]?.status).toBe('unassigned');
    const first = JobList.parse((await server.api('/api/v1/jobs?q=LC-000001', { token })).body).jobs[0];
    expect(first?.items.map((item) => item.serial)).toEqual(['SN00000001', 'SN-EXTRA-1']);
  });

  it('re-importing the same file changes nothing; a corrected file updates by client + account', async () => {
    const again = await importCsv(server, token, file, false);
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await total('lc-00000')).toBe(3);

    const before = JobList.parse((await server.api('/api/v1/jobs?q=LC-000001', { token })).body).jobs[0];
    const corrected = accountsCsv([accountRow(1, { client: '  lakeshore   CABLE ', priority: 'urgent' }), accountRow(1, { item_serial: 'SN-EXTRA-1', item_type: 'router', priority: '' })]);
    const update = await importCsv(server, token, corrected, false);
    expect(update.counts).toMatchObject({ created: 0, updated: 1 });
    const after = JobList.parse((await server.api('/api/v1/jobs?q=LC-000001', { token })).body).jobs[0];
    expect(after?.id).toBe(before?.id);
    expect(after?.priority).toBe('urgent');
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    // Items keep their ids, since custody events will name them.
    expect(after?.items.map((item) => item.id)).toEqual(before?.items.map((item) => item.id));

    const audit = DispatchAuditList.parse((await server.api(`/api/v1/dispatch/audit?jobId=${after?.id ?? ''}`, { token })).body);
    expect(audit.entries.map((entry) => entry.action)).toEqual(['job.reimported', 'job.imported']);
    expect(audit.entries[0]?.userId).toBe((await server.login('dispatcher1')).user.id);
  });

  it('imports 5,000 rows in one request', async () => {
    const { csv, rows } = generatedAccountsCsv(3750, 'Prairie Leasing');
    expect(rows).toBe(5000);
    const report = await importCsv(server, token, csv, false);
    expect(report.counts).toMatchObject({ rows: 5000, goodRows: 5000, badRows: 0, accounts: 3750, created: 3750 });
    const again = await importCsv(server, token, csv, true);
    expect(again.counts).toMatchObject({ created: 0, unchanged: 3750 });
  });
});

describe('importing without a geocoder', () => {
  it('flags rows without coordinates as needing a pin', async () => {
    const server = await startTestServer();
    try {
      const { token } = await server.login('dispatcher1');
      const report = await importCsv(server, token, accountsCsv([accountRow(7, { lat: '', lon: '' })]), false);
      expect(report.counts.needsPin).toBe(1);
      expect(report.rows[0]?.notes[0]).toBe('needs a pin: no coordinates and no geocoder is set; place it on the map');
    } finally {
      await server.close();
    }
  });
});
