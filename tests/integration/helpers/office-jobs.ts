import { ClientList, JobCounts } from '../../../shared/api/job-query';
import { JobList } from '../../../shared/api/jobs';
import { ImportReport } from '../../../shared/dispatch/dispatch-api';
import { priorities } from '../../../shared/domain/job';
import { accountRow, accountsCsv } from '../../fixtures/dispatch/accounts-csv';
import type { TestServer } from './server';

export const officeClients = ['Lakeshore Cable', 'Prairie Leasing', 'Metro Medical'] as const;

/** Account n of a varied organisation: three clients, every priority, due dates over a month, some undated. */
export function variedAccountRow(n: number) {
  const day = String(1 + (n % 28)).padStart(2, '0');
  return accountRow(n, {
    client: officeClients[n % officeClients.length] ?? 'Lakeshore Cable',
    priority: priorities[n % priorities.length] ?? 'normal',
    due_date: n % 7 === 0 ? '' : `2026-11-${day}`,
    customer_name: `${n % 2 === 0 ? 'customer' : 'Customer'} ${n}`,
  });
}

/** Imports accounts first..last over HTTP, in files the import takes at once. */
export async function importAccounts(server: TestServer, token: string, first: number, last: number, row = variedAccountRow): Promise<void> {
  const perFile = 5_000;
  for (let start = first; start <= last; start += perFile) {
    const rows = [];
    for (let n = start; n <= Math.min(last, start + perFile - 1); n += 1) rows.push(row(n));
    const answer = await server.api('/api/v1/jobs/import', { token, body: accountsCsv(rows), headers: { 'content-type': 'text/csv' } });
    if (answer.status !== 200) throw new Error(`import failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    const report = ImportReport.parse(answer.body);
    if (report.counts.rows !== rows.length || report.fileProblems.length > 0) throw new Error(`import refused rows: ${JSON.stringify(report.counts)}`);
  }
}

export function officeApi(server: TestServer, token: string) {
  const get = async (path: string) => {
    const answer = await server.api(path, { token });
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    list: async (query: string) => JobList.parse(await get(`/api/v1/jobs?${query}`)),
    counts: async (query: string) => JobCounts.parse(await get(`/api/v1/jobs/counts?${query}`)),
    clients: async () => ClientList.parse(await get('/api/v1/clients')).clients,
    /** Every job matching a query, page by page. */
    async all(query: string) {
      const jobs = [];
      for (let offset = 0; ; offset += 1000) {
        const page = JobList.parse(await get(`/api/v1/jobs?${query}&limit=1000&offset=${offset}`));
        jobs.push(...page.jobs);
        if (page.jobs.length < 1000) return { jobs, total: page.total };
      }
    },
  };
}
