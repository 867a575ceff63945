/**
 * One agent's jobs as the job-list and pull-walk benches seed them: imported through the office's
 * CSV import (5 items a job), assigned to a new agent, and some moved on in the field (en route,
 * on site, attempted) from another device, so a first pull carries jobs and their status changes.
 */
import { JobList } from '../../shared/api/jobs';
import { ImportReport } from '../../shared/dispatch/dispatch-api';
import type { JobStatus } from '../../shared/domain/job-status';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, PushResponse } from '../../shared/sync/protocol';
import { localIsoDate } from '../../renderer/db/job-due';
import { accountRow, accountsCsv } from '../fixtures/dispatch/accounts-csv';
import { call, login, type Http } from './bench-http';

export const ITEMS_PER_JOB = 5;
/** The import takes at most 20,000 rows a file, an assignment 5,000 jobs. */
const JOBS_PER_IMPORT = 4000;
const JOBS_PER_ASSIGNMENT = 5000;
/** The seeded agent signs in with these. */
export const BENCH_AGENT = { username: 'bench-agent', password: 'bench-password-1234' } as const;

const firstNames = ['Grace', 'Tomasz', 'Aisha', 'Mateo', 'Hannah', 'Ravi', 'Lucia', 'Owen', 'Mei', 'Daniel', 'Sofia', 'Kwame', 'Ingrid', 'Jamal', 'Elena', 'Hugo', 'Nadia', 'Victor', 'Chloe', 'Bruno'];
const lastNames = [
  'Okafor', 'Kowalski', 'Haddad', 'Fernandez', 'Lindqvist', 'Patel', 'Moreau', 'Brennan', 'Tanaka', 'Schultz',
  'Novak', 'Mensah', 'Larsen', 'Rahman', 'Petrova', 'Dubois', 'Castillo', 'Nakamura', 'Reyes', 'Abbott',
  'Whitfield', 'Gallagher', 'Yilmaz', 'Costa', 'Jansen', 'Murphy', 'Delgado', 'Ivanova', 'Kimura', 'Osei',
  'Bianchi', 'Sorensen', 'Vargas', 'Hughes', 'Amari', 'Fischer', 'Quinn', 'Romero', 'Sato', 'Tremblay',
  'Ugwu', 'Vasquez', 'Weber', 'Xu', 'Young', 'Zielinski', 'Barros', 'Carver', 'Dalton', 'Ekwueme',
];
const streets = [
  'N State St', 'W Madison St', 'S Wabash Ave', 'N Clark St', 'W Division St', 'N Halsted St', 'S Michigan Ave', 'W Fullerton Ave',
  'N Milwaukee Ave', 'W Belmont Ave', 'S Archer Ave', 'N Lincoln Ave', 'W Irving Park Rd', 'S Halsted St', 'N Broadway', 'W Roosevelt Rd',
  'S Cottage Grove Ave', 'N Sheridan Rd', 'W Chicago Ave', 'S Pulaski Rd', 'N Ashland Ave', 'W North Ave', 'S Kedzie Ave', 'N Western Ave',
  'W Armitage Ave', 'S Racine Ave', 'N Damen Ave', 'W Lawrence Ave', 'S Cicero Ave', 'N Pulaski Rd', 'W Grand Ave', 'S Ashland Ave',
  'N Kedzie Ave', 'W Devon Ave', 'S Halsted Pkwy', 'N California Ave', 'W Montrose Ave', 'S Vincennes Ave', 'N Elston Ave', 'W Ogden Ave',
];
const priorities = ['normal', 'normal', 'high', 'low', 'urgent'] as const;

export interface SeededJob {
  n: number;
  lastName: string;
  street: string;
  dueDate: string;
  status: JobStatus;
}

function dueDateFor(n: number, today: Date): string {
  return localIsoDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() + ((n * 13) % 61) - 20));
}

/** What the agent did in the field before this laptop's first pull, so the status filter has something to find. */
function fieldStatusFor(n: number): JobStatus {
  if (n % 10 === 1) return 'en_route';
  if (n % 10 === 2) return 'on_site';
  if (n % 20 === 3) return 'attempted';
  return 'assigned';
}

function seededJob(n: number, today: Date): SeededJob {
  return { n, lastName: lastNames[n % lastNames.length] ?? '', street: streets[(n * 7) % streets.length] ?? '', dueDate: dueDateFor(n, today), status: fieldStatusFor(n) };
}

function serial(n: number, item: number): string {
  return `RC${String(n).padStart(5, '0')}-${item}`;
}

/** Imports the agent's jobs, assigns them, and records the field's status changes from another device. */
export async function seed(url: string, today: Date, JOBS: number): Promise<SeededJob[]> {
  const admin: Http = { url, token: (await login(url, 'admin', 'demo1234', 'bench-admin')).token };
  const office: Http = { url, token: (await login(url, 'dispatcher1', 'demo1234', 'bench-office')).token };
  const agent = await call<{ id: string }>(admin, '/api/v1/admin/users', { json: { username: BENCH_AGENT.username, displayName: 'Bench Agent', role: 'agent', password: BENCH_AGENT.password } });

  const jobs = Array.from({ length: JOBS }, (_, index) => seededJob(index + 1, today));
  const rows = jobs.flatMap((job) =>
    Array.from({ length: ITEMS_PER_JOB }, (__, item) =>
      accountRow(job.n, {
        client: 'Bench Leasing',
        account_ref: `BENCH-${job.n}`,
        customer_name: `${firstNames[Math.floor(job.n / lastNames.length) % firstNames.length]} ${job.lastName}`,
        email: `bench${job.n}@example.com`,
        address_line1: `${10 + (job.n % 890)} ${job.street}`,
        postal_code: String(60601 + (job.n % 60)),
        due_date: job.dueDate,
        priority: priorities[job.n % priorities.length] ?? 'normal',
        item_serial: serial(job.n, item),
      }),
    ),
  );
  const rowsPerImport = JOBS_PER_IMPORT * ITEMS_PER_JOB;
  for (let start = 0; start < rows.length; start += rowsPerImport) {
    const chunk = rows.slice(start, start + rowsPerImport);
    const report = ImportReport.parse(await call(office, '/api/v1/jobs/import', { csv: accountsCsv(chunk) }));
    if (report.counts.rows !== chunk.length) throw new Error(`the bench import went wrong: ${JSON.stringify(report.counts)}`);
  }

  const idByRef = new Map<string, string>();
  for (let offset = 0; ; offset += 1000) {
    const page = JobList.parse(await call(office, `/api/v1/jobs?limit=1000&offset=${offset}`));
    for (const job of page.jobs) if (job.accountRef.startsWith('BENCH-')) idByRef.set(job.accountRef, job.id);
    if (page.jobs.length < 1000) break;
  }
  const jobIds = jobs.map((job) => idByRef.get(`BENCH-${job.n}`) ?? '');
  if (jobIds.includes('')) throw new Error('an imported bench job is missing from the job list');
  for (let start = 0; start < jobIds.length; start += JOBS_PER_ASSIGNMENT) {
    await call(office, '/api/v1/jobs/assignments', { json: { jobIds: jobIds.slice(start, start + JOBS_PER_ASSIGNMENT), agentId: agent.id } });
  }

  const van = await login(url, BENCH_AGENT.username, BENCH_AGENT.password, 'bench-van');
  const clock = new HybridLogicalClock('benchvan');
  const steps: Partial<Record<JobStatus, JobStatus[]>> = { en_route: ['en_route'], on_site: ['on_site'], attempted: ['on_site', 'attempted'] };
  const mutations = jobs.flatMap((job, index) => {
    let from: JobStatus = 'assigned';
    return (steps[job.status] ?? []).map((to) => {
      const at = new Date().toISOString();
      const data = { id: newId(), jobId: jobIds[index] ?? '', from, to, at, byUserId: agent.id, reason: null };
      from = to;
      return { id: newId(), deviceId: 'bench-van', clientTime: at, hlc: clock.now(), entity: 'jobStatusChange', op: 'create', data };
    });
  });
  for (let start = 0; start < mutations.length; start += 200) {
    const answer = PushResponse.parse(
      await call({ url, token: van.token }, '/api/v1/sync/push', { json: { protocolVersion: PROTOCOL_VERSION, deviceId: 'bench-van', mutations: mutations.slice(start, start + 200) } }),
    );
    if (answer.results.some((result) => result.outcome !== 'applied')) throw new Error(`a field status change was not applied: ${JSON.stringify(answer.results.find((result) => result.outcome !== 'applied'))}`);
  }
  return jobs;
}

