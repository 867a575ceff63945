import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { JobList } from '../../shared/api/jobs';
import { HISTORY_JOB_COUNT } from '../../server/demo/demo-history';
import { startTestServer } from './helpers/server';

const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-demo-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it('seeds about 40 realistic Chicago jobs once, and a restart with --demo adds nothing', async () => {
  const first = await startTestServer({ dataDir });
  const token = (await first.login('dispatcher1')).token;
  const jobs = JobList.parse((await first.api('/api/v1/jobs?limit=1000', { token })).body);
  await first.close();

  // 40 jobs to work, plus a few weeks of closed history with custody records (demo-history.ts).
  expect(jobs.jobs.filter((job) => job.status !== 'closed')).toHaveLength(40);
  expect(jobs.total).toBe(40 + HISTORY_JOB_COUNT);
  for (const job of jobs.jobs) {
    expect(job.timeZone).toBe('America/Chicago');
    expect(job.address).toMatchObject({ city: 'Chicago', region: 'IL', country: 'US' });
    expect(job.address.postalCode).toMatch(/^606\d\d$/);
    expect(job.address.lat).toBeGreaterThan(41.64);
    expect(job.address.lat).toBeLessThan(42.03);
    expect(job.address.lon).toBeGreaterThan(-87.85);
    expect(job.address.lon).toBeLessThan(-87.52);
    for (const phone of job.customer.phones) expect(phone).toMatch(/^\(\d{3}\) 555-01\d\d$/);
    if (job.customer.email) expect(job.customer.email).toMatch(/@example\.com$/);
    expect(job.items.length).toBeGreaterThanOrEqual(1);
    expect(job.items.length).toBeLessThanOrEqual(4);
  }
  const statuses = jobs.jobs.map((job) => job.status);
  expect(statuses.filter((status) => status === 'assigned').length).toBeGreaterThan(30);
  expect(statuses.filter((status) => status === 'unassigned').length).toBeGreaterThan(0);
  expect(jobs.jobs.filter((job) => job.appointment !== null).length).toBeGreaterThan(8);

  const second = await startTestServer({ dataDir });
  const again = JobList.parse((await second.api('/api/v1/jobs?limit=1', { token: (await second.login('dispatcher1')).token })).body);
  expect(again.total).toBe(40 + HISTORY_JOB_COUNT);
  // The old session survives a restart: sessions live in the database, not in memory.
  expect((await second.api('/api/v1/auth/me', { token })).status).toBe(200);
  await second.close();
});

it('finds a job by a serial number typed in the search box', async () => {
  const server = await startTestServer({ dataDir });
  const token = (await server.login('dispatcher1')).token;
  const all = JobList.parse((await server.api('/api/v1/jobs?limit=1000', { token })).body).jobs;
  const target = all[5];
  const serial = target?.items[0]?.serial ?? '';
  const found = JobList.parse((await server.api(`/api/v1/jobs?q=${encodeURIComponent(serial.toLowerCase())}`, { token })).body);
  expect(found.jobs.map((job) => job.id)).toContain(target?.id);
  const none = JobList.parse((await server.api('/api/v1/jobs?q=%25%25_', { token })).body);
  expect(none.total).toBe(0);
  await server.close();
});
