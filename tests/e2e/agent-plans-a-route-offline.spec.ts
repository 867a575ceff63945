import { dayInZone, localTimeToIso } from '../../shared/domain/time-zone';
import { demoAgent, expect, shellCachedForOffline, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  appointment: { start: string; end: string } | null;
  address: { lat: number | null; lon: number | null };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('offline, an agent plans the day, rearranges it, and the plan survives a reload', async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}`);
  // Jobs with no appointment fit any day, so the test does not depend on the date it runs.
  const day = mine.jobs
    .filter((job) => job.appointment === null && job.address.lat !== null && !['recovered', 'cancelled', 'closed'].includes(job.status))
    .slice(0, 8);
  expect(day).toHaveLength(8);

  const laptop = await openApp('route-laptop');
  // The day starts where the agent is: the Loop, where the demo jobs are.
  await laptop.context().grantPermissions(['geolocation']);
  await laptop.context().setGeolocation({ latitude: 41.8819, longitude: -87.6278 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);

  await server.stop();
  // Planned at 07:30 in Chicago, before the working day: a day planned later starts from the time
  // it is planned, and 8 stops must fit whatever time the test runs.
  const chicagoToday = dayInZone(Date.now(), 'America/Chicago');
  await laptop.clock.setFixedTime(new Date(localTimeToIso(`${chicagoToday} 07:30`, 'America/Chicago') ?? ''));

  await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
  await expect(laptop.getByRole('region', { name: 'Map' })).toBeVisible();
  // No tile can load here; the bundled outlines still draw, so the map is never blank.
  await expect(laptop.locator('.leaflet-base-map-pane path').first()).toBeAttached();
  for (const job of day) await laptop.getByRole('checkbox', { name: new RegExp(escape(job.customer.name)) }).check();
  await laptop.getByRole('button', { name: 'Optimize' }).click();

  const stops = laptop.getByRole('list', { name: 'Stops' }).getByRole('listitem');
  await expect(stops).toHaveCount(8);
  for (let i = 0; i < 8; i++) await expect(stops.nth(i).getByTestId('stop-eta')).toHaveText(/^ETA \d{2}:\d{2}$/);
  await expect(laptop.locator('.stop-marker')).toHaveCount(8);
  await expect(laptop.getByLabel('Day totals')).toContainText('Finish');

  // Moving the first stop down changes when the (new) first and second stops are reached.
  const before = await laptop.getByTestId('stop-eta').allTextContents();
  const firstName = (await stops.first().locator('.stop-name').textContent()) ?? '';
  await laptop.getByRole('button', { name: `Move ${firstName} down` }).click();
  await expect(stops.nth(1).locator('.stop-name')).toHaveText(firstName);
  await expect.poll(() => laptop.getByTestId('stop-eta').allTextContents()).not.toEqual(before);
  const after = await laptop.getByTestId('stop-eta').allTextContents();
  const orderAfter = await stops.locator('.stop-name').allTextContents();

  await laptop.screenshot({ path: 'tests/.artifacts/e2e/route-view.png' });

  await laptop.reload();
  await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
  await expect(stops).toHaveCount(8);
  await expect(stops.locator('.stop-name')).toHaveText(orderAfter);
  await expect(laptop.getByTestId('stop-eta')).toHaveText(after);
});
