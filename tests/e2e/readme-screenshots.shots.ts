import type { Page } from '@playwright/test';
import { dayInZone, localTimeToIso } from '../../shared/domain/time-zone';
import { demoAgent, expect, logArrival, named, signIn, signOnPad, test, type ServerUnderTest } from './app-under-test';

/**
 * The README's pictures: the main screens of each role on the demo organisation, one fresh
 * server per role. Each shot waits for the screen's content, not for time, so a slow machine
 * gives the same pictures.
 */
const folder = 'docs/screenshots';
const viewport = { width: 1280, height: 800 };

async function shoot(page: Page, name: string): Promise<void> {
  // Caret and animations would make each run's pictures differ for no reason.
  await page.screenshot({ path: `${folder}/${name}.png`, animations: 'disabled', caret: 'hide' });
}

async function openSignedIn(openApp: (profile: string) => Promise<Page>, username: string): Promise<Page> {
  const page = await openApp(username);
  await page.setViewportSize(viewport);
  await signIn(page, username);
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced', { timeout: 60_000 });
  return page;
}

function view(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
}

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  appointment: { start: string; end: string } | null;
  address: { lat: number | null; lon: number | null };
  items: { serial: string }[];
}

async function agentJobs(server: ServerUnderTest, username: string): Promise<ApiJob[]> {
  const agent = await demoAgent(server, username);
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent.id}&limit=100`);
  return jobs.filter((job) => job.status === 'assigned');
}

test('sign-in', async ({ openApp }) => {
  const page = await openApp('sign-in');
  await page.setViewportSize(viewport);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await shoot(page, 'sign-in');
});

test('agent: jobs, a door visit and the day’s route', async ({ server, openApp }) => {
  const jobs = await agentJobs(server, 'agent1');
  const job = jobs.find((candidate) => candidate.items.length >= 3) ?? jobs[0];
  if (!job) throw new Error('agent1 has no open job in the demo');

  const page = await openSignedIn(openApp, 'agent1');
  await page.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(page.getByRole('region', { name: 'Job detail' }).getByText(job.customer.name).first()).toBeVisible();
  await shoot(page, 'agent-jobs');

  await logArrival(page, 'partial');
  // The visit just logged at the top, the equipment to account for below it.
  // scrollIntoView also scrolls the window, which would push the header off the picture.
  await page.getByRole('list', { name: 'Visits' }).evaluate((visits) => {
    visits.scrollIntoView({ block: 'start' });
    window.scrollTo(0, 0);
  });
  await shoot(page, 'agent-door');

  // The day starts in the Loop at 07:30 Chicago time, so the plan fits whatever hour this runs.
  await page.context().grantPermissions(['geolocation']);
  await page.context().setGeolocation({ latitude: 41.8819, longitude: -87.6278 });
  const chicagoToday = dayInZone(Date.now(), 'America/Chicago');
  await page.clock.setFixedTime(new Date(localTimeToIso(`${chicagoToday} 07:30`, 'America/Chicago') ?? ''));
  await view(page, 'Route').click();
  await expect(page.getByRole('region', { name: 'Map' })).toBeVisible();
  const day = jobs.filter((candidate) => candidate.appointment === null && candidate.address.lat !== null && candidate.id !== job.id).slice(0, 6);
  for (const stop of day) await page.getByRole('checkbox', { name: named(stop.customer.name) }).check();
  await page.getByRole('button', { name: 'Optimize' }).click();
  await expect(page.getByRole('list', { name: 'Stops' }).getByRole('listitem')).toHaveCount(day.length);
  await expect(page.locator('.stop-marker')).toHaveCount(day.length);
  await shoot(page, 'agent-route');
});

test('agent: the customer’s receipt after the collection', async ({ server, openApp }) => {
  const jobs = await agentJobs(server, 'agent2');
  const job = jobs.find((candidate) => candidate.items.length >= 2) ?? jobs[0];
  const serial = job?.items[0]?.serial;
  if (!job || !serial) throw new Error('agent2 has no open job with an item in the demo');

  const page = await openSignedIn(openApp, 'agent2');
  await page.getByRole('button', { name: named(job.customer.name) }).click();
  await logArrival(page, 'partial');
  await page.getByLabel(`Serial seen on ${serial}`).fill(serial);
  await page.getByRole('button', { name: `Record ${serial}` }).click();
  await expect(page.getByTestId(`item-state-${serial}`)).toContainText('Recovered');
  await page.getByLabel("Agent's printed name").fill('Elena Kowalczyk');
  await signOnPad(page, 'Agent signature pad');
  await page.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(page.getByTestId('countersigned')).toBeVisible();
  await page.getByLabel('Customer declined to sign (or cannot sign)').check();
  const refusal = page.getByTestId('refusal-form');
  await refusal.getByLabel("Customer's name").fill(job.customer.name);
  await refusal.getByLabel('Reason, in the customer').fill('Wants to read the lease first');
  await refusal.getByLabel(/attest that .* declined to sign/).check();
  if (await page.getByTestId('checklist-blocks').isVisible()) await page.getByLabel('Reason for going ahead without it').fill('The customer kept the remaining equipment for now.');
  await page.getByRole('button', { name: /^Record collection/ }).click();
  await expect(page.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');
  await page.getByRole('region', { name: 'Customer receipt' }).getByRole('button', { name: 'Make the customer receipt' }).click();
  await expect(page.getByRole('dialog', { name: 'Receipt for equipment collected' }).getByTestId('receipt-sheet')).toContainText(`serial ${serial}`);
  await shoot(page, 'agent-receipt');
});

test('dispatcher: jobs, status board and map', async ({ openApp }) => {
  const page = await openSignedIn(openApp, 'dispatcher1');
  await view(page, 'Dispatch').click();
  const tabs = page.getByRole('navigation', { name: 'Dispatch' });
  await expect(page.getByRole('table').first().getByRole('row').nth(1)).toBeVisible();
  await shoot(page, 'dispatch-jobs');

  await tabs.getByRole('button', { name: 'Status board', exact: true }).click();
  await expect(page.getByRole('heading', { name: /Assigned/ }).first()).toBeVisible();
  await shoot(page, 'dispatch-board');

  await tabs.getByRole('button', { name: 'Map', exact: true }).click();
  await expect(page.locator('.job-cluster').first()).toBeVisible();
  // The map frames every job with an animation; the picture is taken once it has settled.
  await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim'));
  await shoot(page, 'dispatch-map');
});

test('dispatcher: the question before a bulk act takes work from agents', async ({ server, openApp }) => {
  const [marcus, elena, tomas] = await Promise.all(['agent1', 'agent2', 'agent3'].map((name) => demoAgent(server, name)));
  if (!marcus || !elena || !tomas) throw new Error('the demo has three agents');
  const { jobs } = await server.api<{ jobs: { status: string; assignedAgentId: string | null; accountRef: string; customer: { name: string } }[] }>('dispatcher1', '/api/v1/jobs?limit=200');
  const unique = (job: { customer: { name: string } }) => jobs.filter((other) => other.customer.name === job.customer.name).length === 1;
  const chosen = [
    jobs.find((job) => unique(job) && job.status === 'assigned' && job.assignedAgentId === marcus.id),
    jobs.find((job) => unique(job) && job.status === 'assigned' && job.assignedAgentId === elena.id),
    jobs.find((job) => unique(job) && job.status === 'unassigned'),
    jobs.find((job) => unique(job) && job.status === 'closed'),
  ];
  const page = await openSignedIn(openApp, 'dispatcher1');
  await view(page, 'Dispatch').click();
  for (const job of chosen) {
    if (!job) throw new Error('the demo lacks a job this picture needs');
    await page.getByLabel('Search jobs').fill(job.accountRef);
    await page.getByRole('checkbox', { name: `Select ${job.customer.name}` }).check();
  }
  await page.getByLabel('Search jobs').fill('');
  await page.getByLabel('Agent', { exact: true }).selectOption(tomas.id);
  await page.getByRole('button', { name: 'Assign selected' }).click();
  await expect(page.getByRole('alertdialog', { name: /^Assign \d+ jobs? to Tomás Herrera\?$/ })).toBeVisible();
  await shoot(page, 'dispatch-bulk-question');
});

test('supervisor: a custody record and the dashboard', async ({ server, openApp }) => {
  const { hits } = await server.api<{ hits: { serial: string }[] }>('supervisor1', '/api/v1/custody/search?limit=5');
  const serial = hits[0]?.serial;
  if (!serial) throw new Error('the demo has custody history');

  const page = await openSignedIn(openApp, 'supervisor1');
  await view(page, 'Supervise').click();
  await page.getByLabel('Search custody records').fill(serial);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('verdict')).toContainText('Intact');
  await expect(page.getByRole('img', { name: 'Signature' }).first()).toBeVisible();
  await shoot(page, 'supervise-record');

  await page.getByRole('button', { name: 'Dashboard' }).click();
  await expect(page.getByRole('img', { name: 'Items recovered per agent' })).toBeVisible();
  await shoot(page, 'supervise-dashboard');
});

test('admin: users and laptops', async ({ openApp }) => {
  const page = await openSignedIn(openApp, 'admin');
  await view(page, 'Admin').click();
  await expect(page.getByText('Marcus Bell').first()).toBeVisible();
  await shoot(page, 'admin');
});
