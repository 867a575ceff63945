import type { Page } from '@playwright/test';
import type { MapPoints } from '../../shared/dispatch/dispatch-map-api';
import { isFinished } from '../../shared/dispatch/bulk-action';
import { demoAgent, expect, named, signIn, test, type OpenApp, type ServerUnderTest } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  assignedAgentId: string | null;
  accountRef: string;
  customer: { name: string };
}

async function allJobs(server: ServerUnderTest): Promise<ApiJob[]> {
  return (await server.api<{ jobs: ApiJob[] }>('dispatcher1', '/api/v1/jobs?limit=200')).jobs;
}

async function jobNow(server: ServerUnderTest, id: string): Promise<ApiJob> {
  return (await server.api<{ job: ApiJob }>('dispatcher1', `/api/v1/jobs/${id}`)).job;
}

/** One job of each kind the test needs, with a customer name no other job has (the list's checkboxes are named by it). */
function pick(jobs: readonly ApiJob[], test: (job: ApiJob) => boolean): ApiJob {
  const found = jobs.find((job) => test(job) && jobs.filter((other) => other.customer.name === job.customer.name).length === 1);
  if (!found) throw new Error('the demo organisation lacks a job this test needs');
  return found;
}

/** Marcus Bell, on his laptop, starts driving to the job: it is under way in the field. */
async function marcusStartsDriving(openApp: OpenApp, server: ServerUnderTest, job: ApiJob): Promise<void> {
  const laptop = await openApp('agent1');
  await signIn(laptop, 'agent1');
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await laptop.getByRole('button', { name: 'Start driving' }).click();
  await expect(laptop.getByTestId('job-status')).toHaveText('En route');
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(async () => (await jobNow(server, job.id)).status, { timeout: 15_000 }).toBe('en_route');
}

async function openDispatch(openApp: OpenApp, tab: 'Jobs' | 'Map'): Promise<Page> {
  const office = await openApp('dispatcher');
  await office.setViewportSize({ width: 1440, height: 900 });
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: tab, exact: true }).click();
  return office;
}

test('on the list, a dispatcher is asked before taking work from agents, sees the result by name, and undoes it', async ({ server, openApp }) => {
  const [marcus, elena, tomas] = await Promise.all(['agent1', 'agent2', 'agent3'].map((name) => demoAgent(server, name)));
  if (!marcus || !elena || !tomas) throw new Error('the demo has three agents');
  const jobs = await allJobs(server);
  const driving = pick(jobs, (job) => job.status === 'assigned' && job.assignedAgentId === marcus.id);
  const elenas = pick(jobs, (job) => job.status === 'assigned' && job.assignedAgentId === elena.id);
  const free = pick(jobs, (job) => job.status === 'unassigned');
  const closed = pick(jobs, (job) => job.status === 'closed');
  await marcusStartsDriving(openApp, server, driving);

  const office = await openDispatch(openApp, 'Jobs');
  for (const job of [free, closed, driving, elenas]) {
    await office.getByLabel('Search jobs').fill(job.accountRef);
    await office.getByRole('checkbox', { name: `Select ${job.customer.name}` }).check();
  }
  await expect(office.getByText('4 selected', { exact: false })).toBeVisible();
  await office.getByLabel('Agent', { exact: true }).selectOption(tomas.id);
  await office.getByRole('button', { name: 'Assign selected' }).click();

  const question = office.getByRole('alertdialog', { name: 'Assign 3 jobs to Tomás Herrera?' });
  await expect(question).toBeVisible();
  // The safe answer has the focus: Enter by habit changes nothing.
  await expect(question.getByRole('button', { name: 'Change nothing' })).toBeFocused();
  await expect(question.getByRole('region', { name: /Under way/ })).toContainText(`${driving.customer.name} — En route with Marcus Bell`);
  await expect(question.getByRole('region', { name: /Taken from other agents/ })).toContainText(`From Elena Kowalczyk (1): ${elenas.customer.name}`);
  await expect(question).toContainText(`Goes ahead as is (1): ${free.customer.name}`);
  await expect(question.getByRole('region', { name: /Left out/ })).toContainText(`Skipped 1 — Closed — cannot be assigned: ${closed.customer.name}`);
  await office.screenshot({ path: test.info().outputPath('bulk-confirm-list.png') });

  // Escape closes the question and moves nothing; asked again, the dispatcher takes them.
  await office.keyboard.press('Escape');
  await expect(question).toBeHidden();
  expect((await jobNow(server, driving.id)).assignedAgentId).toBe(marcus.id);
  await office.getByRole('button', { name: 'Assign selected' }).click();
  await question.getByRole('button', { name: 'Assign all 3, taking 2 from others' }).click();

  const outcome = office.getByRole('group', { name: 'Result of the last bulk action' });
  await expect(outcome).toContainText(/Assigned 3 jobs to Tomás Herrera \(2 taken from (Marcus Bell, Elena Kowalczyk|Elena Kowalczyk, Marcus Bell)\)/);
  await expect(outcome).toContainText(driving.customer.name);
  await expect(outcome).toContainText(`Skipped 1 — Closed — cannot be assigned: ${closed.customer.name}`);
  await expect(outcome).toBeFocused();
  expect(await jobNow(server, driving.id)).toMatchObject({ assignedAgentId: tomas.id, status: 'en_route' });
  expect(await jobNow(server, elenas.id)).toMatchObject({ assignedAgentId: tomas.id, status: 'assigned' });
  expect(await jobNow(server, free.id)).toMatchObject({ assignedAgentId: tomas.id, status: 'assigned' });
  expect(await jobNow(server, closed.id)).toMatchObject({ status: 'closed', assignedAgentId: closed.assignedAgentId });
  await office.screenshot({ path: test.info().outputPath('bulk-outcome-list.png') });

  await outcome.getByRole('button', { name: /^Undo/ }).click();
  await expect(outcome).toContainText('Undone: 3 jobs back where they were');
  expect(await jobNow(server, driving.id)).toMatchObject({ assignedAgentId: marcus.id, status: 'en_route' });
  expect(await jobNow(server, elenas.id)).toMatchObject({ assignedAgentId: elena.id, status: 'assigned' });
  expect(await jobNow(server, free.id)).toMatchObject({ assignedAgentId: null, status: 'unassigned' });
});

test('on the map, a box leaves finished jobs out, the question names the job under way, and Undo puts every job back', async ({ server, openApp }) => {
  const [marcus, tomas] = await Promise.all(['agent1', 'agent3'].map((name) => demoAgent(server, name)));
  if (!marcus || !tomas) throw new Error('the demo has agents');
  const driving = pick(await allJobs(server), (job) => job.status === 'assigned' && job.assignedAgentId === marcus.id);
  await marcusStartsDriving(openApp, server, driving);
  const before = await server.api<MapPoints>('dispatcher1', '/api/v1/dispatch/map-points');
  const located = before.jobs.filter((job) => job.lat !== null && job.lon !== null);
  const finished = located.filter((job) => isFinished(job.status));
  const open = located.filter((job) => !isFinished(job.status));
  expect(finished.length).toBeGreaterThan(0);

  const office = await openDispatch(openApp, 'Map');
  const map = office.locator('.dispatch-map');
  await expect(office.locator('.job-cluster').first()).toBeVisible();
  await expect(office.getByText(`${located.length} jobs on the map`)).toBeVisible();
  await office.waitForTimeout(600);
  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no size');
  await office.getByRole('button', { name: 'Select box' }).click();
  await office.mouse.move(box.x + 4, box.y + 4);
  await office.mouse.down();
  await office.mouse.move(box.x + box.width - 4, box.y + box.height - 4, { steps: 12 });
  await office.mouse.up();

  await expect(office.locator('.map-selection-count')).toHaveText(`${open.length} selected`);
  await expect(office.getByRole('status').filter({ hasText: `Left out ${finished.length} finished` })).toBeVisible();

  await office.getByLabel('Assign to agent').selectOption(tomas.id);
  await office.getByRole('button', { name: `Assign ${open.length} jobs` }).click();
  const question = office.getByRole('alertdialog', { name: /Tomás Herrera\?$/ });
  await expect(question.getByRole('region', { name: /Under way/ })).toContainText(`${driving.customer.name} — En route with Marcus Bell`);
  await expect(question.getByRole('region', { name: /Left out/ })).toContainText("already on Tomás Herrera's list");
  await office.screenshot({ path: test.info().outputPath('bulk-confirm-map.png') });
  await question.getByRole('button', { name: /^Assign all/ }).click();

  const outcome = office.getByRole('group', { name: 'Result of the last bulk action' });
  await expect(outcome).toContainText(/Assigned \d+ jobs to Tomás Herrera \(\d+ taken from /);
  await expect(office.locator('.map-selection-count')).toHaveText('0 selected');
  const assigned = await server.api<MapPoints>('dispatcher1', '/api/v1/dispatch/map-points');
  const previously = new Map(before.jobs.map((job) => [job.id, job]));
  const moved = assigned.jobs.filter((job) => previously.get(job.id)?.assignedAgentId !== job.assignedAgentId);
  expect(moved.length).toBeGreaterThan(1);
  expect(moved.every((job) => job.assignedAgentId === tomas.id && !isFinished(job.status))).toBe(true);
  expect(moved.map((job) => job.id)).toContain(driving.id);
  await office.screenshot({ path: test.info().outputPath('bulk-outcome-map.png') });

  await outcome.getByRole('button', { name: /^Undo/ }).click();
  await expect(outcome).toContainText(`Undone: ${moved.length} jobs back where they were`);
  const after = await server.api<MapPoints>('dispatcher1', '/api/v1/dispatch/map-points');
  expect(after.jobs.map((job) => [job.id, job.assignedAgentId, job.status]).sort()).toEqual(before.jobs.map((job) => [job.id, job.assignedAgentId, job.status]).sort());
});

test('a job its agent starts while the question is open is refused by name, not taken', async ({ server, openApp }) => {
  const [marcus, tomas] = await Promise.all(['agent1', 'agent3'].map((name) => demoAgent(server, name)));
  if (!marcus || !tomas) throw new Error('the demo has agents');
  const jobs = await allJobs(server);
  const marcuss = pick(jobs, (job) => job.status === 'assigned' && job.assignedAgentId === marcus.id);
  const free = pick(jobs, (job) => job.status === 'unassigned');

  const office = await openDispatch(openApp, 'Jobs');
  for (const job of [marcuss, free]) {
    await office.getByLabel('Search jobs').fill(job.accountRef);
    await office.getByRole('checkbox', { name: `Select ${job.customer.name}` }).check();
  }
  await office.getByLabel('Agent', { exact: true }).selectOption(tomas.id);
  await office.getByRole('button', { name: 'Assign selected' }).click();
  const question = office.getByRole('alertdialog', { name: 'Assign 2 jobs to Tomás Herrera?' });
  await expect(question).toContainText(`From Marcus Bell (1): ${marcuss.customer.name}`);

  // While the dispatcher reads, Marcus starts driving there and his laptop syncs.
  await marcusStartsDriving(openApp, server, marcuss);
  await question.getByRole('button', { name: 'Assign all 2, taking 1 from others' }).click();

  const outcome = office.getByRole('group', { name: 'Result of the last bulk action' });
  await expect(outcome).toContainText(`Assigned 1 job to Tomás Herrera: ${free.customer.name}`);
  await expect(outcome).toContainText(`Refused 1: ${marcuss.customer.name} — started meanwhile (now En route with Marcus Bell)`);
  expect(await jobNow(server, marcuss.id)).toMatchObject({ assignedAgentId: marcus.id, status: 'en_route' });
  await office.screenshot({ path: test.info().outputPath('bulk-refused-meanwhile.png') });
});
