import { demoAgent, expect, logArrival, named, signIn, signOnPad, test, type ServerUnderTest } from './app-under-test';
import { expectNoSeriousAxeViolations } from './axe';

interface ApiJob {
  id: string;
  accountRef: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

async function assignedJobOfAgent1(server: ServerUnderTest): Promise<ApiJob> {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  if (!job) throw new Error('agent1 has no open job with equipment');
  return job;
}

test('every screen an agent sees, from sign-in to the door, the route and the lock screen, passes axe', async ({ server, openApp }) => {
  test.setTimeout(300_000);
  const job = await assignedJobOfAgent1(server);
  const serial = job.items[0]?.serial ?? '';
  const laptop = await openApp('axe-agent');
  await laptop.setViewportSize({ width: 1280, height: 900 });

  await expect(laptop.getByLabel('User name')).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'sign-in');
  await laptop.getByLabel('User name').fill('agent1');
  await laptop.getByLabel('Password').fill('wrong password');
  await laptop.getByRole('button', { name: 'Sign in' }).click();
  await expect(laptop.getByRole('alert')).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'sign-in refused');

  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await expectNoSeriousAxeViolations(laptop, 'agent job list');

  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(laptop.getByRole('heading', { name: 'At the door' })).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'agent job detail');

  await logArrival(laptop, 'recovered');
  await expectNoSeriousAxeViolations(laptop, 'door: equipment, photos, signatures');
  await laptop.getByLabel(`Serial seen on ${serial}`).fill(serial);
  await laptop.getByRole('button', { name: `Record ${serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${serial}`)).toContainText('Recovered');
  await laptop.getByRole('button', { name: 'Save customer signature' }).click();
  await expect(laptop.getByText('The pad is empty')).toBeVisible();
  await laptop.getByLabel('Type name instead of drawing').first().check();
  await expectNoSeriousAxeViolations(laptop, 'door: typed signature and an error');
  await laptop.getByLabel('Customer declined to sign (or cannot sign)').check();
  await expect(laptop.getByTestId('refusal-form')).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'door: refusal form');

  // The collection with the refusal, then the receipt for the customer in its dialog.
  const refusal = laptop.getByTestId('refusal-form');
  await refusal.getByLabel("Customer's name").fill('Dana Customer');
  await refusal.getByLabel('Reason, in the customer').fill('Will not sign anything');
  await refusal.getByLabel(/attest that Dana Customer declined to sign/).check();
  await laptop.getByLabel("Agent's printed name").fill('Alex Agent');
  await signOnPad(laptop, 'Agent signature pad');
  await laptop.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
  if (await laptop.getByTestId('checklist-blocks').isVisible()) await laptop.getByLabel('Reason for going ahead without it').fill('Not the point of this test.');
  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');
  await expectNoSeriousAxeViolations(laptop, 'door: after the collection');
  await laptop.getByRole('region', { name: 'Customer receipt' }).getByRole('button', { name: 'Make the customer receipt' }).click();
  await expect(laptop.getByRole('dialog', { name: 'Receipt for equipment collected' })).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'door: customer receipt');
  await laptop.keyboard.press('Escape');
  await expect(laptop.getByRole('dialog')).toHaveCount(0);

  await laptop.getByRole('button', { name: 'Route', exact: true }).click();
  await expect(laptop.getByRole('heading', { name: /route/i }).first()).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'route');

  await laptop.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(laptop.getByRole('dialog', { name: 'Reclaim is locked' })).toBeVisible();
  await expectNoSeriousAxeViolations(laptop, 'lock screen');
});

test('every dispatch screen a dispatcher sees passes axe: jobs, list, board, map, inbox, import, requirements, new job', async ({ server, openApp }) => {
  test.setTimeout(300_000);
  const office = await openApp('axe-dispatcher');
  await office.setViewportSize({ width: 1440, height: 900 });
  await signIn(office, 'dispatcher1');
  await expect(office.getByTestId('sync-indicator')).toContainText('Synced');
  await expectNoSeriousAxeViolations(office, 'office job list');
  await office.getByRole('list', { name: /jobs/i }).getByRole('button').first().click();
  await expect(office.getByRole('region', { name: 'Job detail' }).getByRole('heading').first()).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'office job detail');

  await office.getByRole('button', { name: 'Dispatch' }).click();
  const tabs = office.getByRole('navigation', { name: 'Dispatch' });
  await expect(office.getByText('Live', { exact: true })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'dispatch list');
  // A bulk act that takes a job from an agent asks first; then its result, with Undo.
  const agent3 = await demoAgent(server, 'agent3');
  const theirs = await assignedJobOfAgent1(server);
  const { jobs: free } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', '/api/v1/jobs?status=unassigned&limit=1');
  for (const job of [theirs, ...free]) {
    await office.getByLabel('Search jobs').fill(job.accountRef);
    await office.getByRole('checkbox', { name: named(job.customer.name) }).first().check();
  }
  await office.getByLabel('Agent', { exact: true }).selectOption(agent3.id);
  await office.getByRole('button', { name: 'Assign selected' }).click();
  await expect(office.getByRole('alertdialog')).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'dispatch bulk confirmation');
  await office.getByRole('alertdialog').getByRole('button', { name: /^Only the/ }).click();
  await expect(office.getByRole('group', { name: 'Result of the last bulk action' })).toContainText('Assigned 1 job');
  await expectNoSeriousAxeViolations(office, 'dispatch bulk result');
  await office.getByLabel('Search jobs').fill('');
  for (const [tab, ready] of [
    ['Status board', office.getByRole('heading', { name: 'Status board' })],
    ['Map', office.locator('.job-cluster').first()],
    ['Review inbox', office.getByRole('heading', { name: /review/i }).first()],
    ['Import', office.getByRole('heading', { name: /import/i }).first()],
    ['Client requirements', office.getByRole('heading', { name: /requirements/i }).first()],
  ] as const) {
    await tabs.getByRole('button', { name: named(tab) }).click();
    await expect(ready).toBeVisible();
    await expectNoSeriousAxeViolations(office, `dispatch ${tab}`);
  }
  await tabs.getByRole('button', { name: 'New job' }).click();
  await expect(office.getByRole('heading', { name: 'New job' })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'dispatch new job');
});

test('every screen a supervisor sees passes axe: search, timeline, photo viewer, dashboard, verify', async ({ server, openApp }) => {
  test.setTimeout(300_000);
  const demo = await server.api<{ hits: { serial: string }[] }>('supervisor1', '/api/v1/custody/search?limit=5');
  const target = demo.hits[0];
  if (!target) throw new Error('the demo has custody history');
  const office = await openApp('axe-supervisor');
  await office.setViewportSize({ width: 1400, height: 1000 });
  await signIn(office, 'supervisor1');
  await office.getByRole('button', { name: 'Supervise' }).click();
  await expect(office.getByLabel('Search custody records')).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'supervise search');

  await office.getByLabel('Search custody records').fill(target.serial);
  await office.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(office.getByTestId('verdict')).toContainText('Intact');
  await expectNoSeriousAxeViolations(office, 'supervise timeline');
  // The viewer is modal: it takes the focus, Escape closes it, and the focus goes back to the image.
  const opener = office.getByRole('button', { name: 'Signature' }).first();
  await opener.focus();
  await office.keyboard.press('Enter');
  const viewer = office.getByRole('dialog', { name: 'Signature' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Close' })).toBeFocused();
  await expectNoSeriousAxeViolations(office, 'supervise photo viewer');
  await office.keyboard.press('Escape');
  await expect(office.getByRole('dialog')).toHaveCount(0);
  await expect(opener).toBeFocused();

  await office.getByRole('button', { name: 'Dashboard' }).click();
  await expect(office.getByRole('region', { name: 'Dashboard' })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'supervise dashboard');
  await office.getByRole('button', { name: 'Verify a bundle' }).click();
  await expect(office.getByRole('region', { name: 'Verify a bundle' })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'supervise verify');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Status board' }).click();
  await expect(office.getByRole('heading', { name: 'Status board' })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'supervisor status board');
});

test('every screen an admin sees passes axe: users, devices (one revoked), a disabled user, the organisation key', async ({ openApp }) => {
  test.setTimeout(300_000);
  // A laptop signs in, so the device list has a row the admin can revoke.
  const laptop = await openApp('axe-admin-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  const office = await openApp('axe-admin');
  await office.setViewportSize({ width: 1300, height: 900 });
  await signIn(office, 'admin');
  await office.getByRole('button', { name: 'Admin' }).click();
  await expect(office.getByRole('region', { name: 'Organisation signing key' })).toBeVisible();
  await expect(office.getByRole('heading', { name: 'Devices' })).toBeVisible();
  await expectNoSeriousAxeViolations(office, 'admin');
  // Greyed rows: a revoked device and a disabled user.
  office.once('dialog', (dialog) => void dialog.accept());
  await office.getByRole('row').filter({ hasText: 'Marcus Bell' }).filter({ hasText: 'Allowed' }).first().getByRole('button', { name: 'Revoke' }).click();
  await expect(office.getByRole('status').filter({ hasText: 'Revoked' })).toBeVisible();
  await office.getByRole('row').filter({ hasText: 'agent3' }).getByRole('button', { name: 'Disable' }).click();
  await expect(office.getByRole('row').filter({ hasText: 'agent3' })).toContainText('Disabled');
  await expectNoSeriousAxeViolations(office, 'admin with a revoked device and a disabled user');
});
