import { dayInZone, localTimeToIso } from '../../shared/domain/time-zone';
import { demoAgent, expect, signIn, test } from './app-under-test';

interface ApiJob {
  status: string;
  customer: { name: string };
  appointment: { start: string; end: string } | null;
  address: { lat: number | null };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('planned at 17:30 with ten stops, the route says each reason in words and offers to plan tomorrow, which fits them', async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}`);
  const stops = mine.jobs.filter((job) => job.appointment === null && job.address.lat !== null && !['recovered', 'cancelled', 'closed'].includes(job.status)).slice(0, 10);
  expect(stops).toHaveLength(10);

  const laptop = await openApp('late-route-laptop');
  await laptop.context().grantPermissions(['geolocation']);
  await laptop.context().setGeolocation({ latitude: 41.8819, longitude: -87.6278 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  // 17:30 in Chicago, half an hour before the working day (08:00–18:00 by default) ends.
  const chicagoToday = dayInZone(Date.now(), 'America/Chicago');
  await laptop.clock.setFixedTime(new Date(localTimeToIso(`${chicagoToday} 17:30`, 'America/Chicago') ?? ''));

  await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
  for (const job of stops) await laptop.getByRole('checkbox', { name: new RegExp(escape(job.customer.name)) }).check();
  await laptop.getByRole('button', { name: 'Optimize' }).click();

  const left = laptop.getByRole('region', { name: "Not in today's plan" }).getByRole('listitem');
  await expect(left.first()).toBeVisible();
  const reasons = await left.allTextContents();
  const planned = await laptop.getByRole('list', { name: 'Stops' }).getByRole('listitem').count();
  expect(planned + reasons.length).toBe(10);
  for (const reason of reasons) {
    expect(reason).toMatch(/(would arrive \d{2}:\d{2}( \S+)?, after the working day ends at 18:00|even on its own the day would finish at \d{2}:\d{2}( \S+)?, after it ends at 18:00|with the other stops)/);
    expect(reason).not.toMatch(/\+\d+d/);
  }
  await laptop.screenshot({ path: test.info().outputPath('route-planned-late.png') });

  const tomorrow = laptop.getByRole('button', { name: 'Plan for tomorrow' });
  await expect(laptop.getByRole('status').filter({ hasText: 'the working day ends at 18:00' })).toContainText('It is 17:30');
  await tomorrow.click();
  const tomorrowDay = new Date(Date.parse(`${chicagoToday}T12:00:00Z`) + 86_400_000);
  const weekday = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(tomorrowDay);
  await expect(laptop.getByRole('heading', { name: new RegExp(`^Route for ${weekday}`) })).toBeVisible();
  for (const job of stops) await laptop.getByRole('checkbox', { name: new RegExp(escape(job.customer.name)) }).check();
  await laptop.getByRole('button', { name: 'Optimize' }).click();
  await expect(laptop.getByRole('list', { name: 'Stops' }).getByRole('listitem')).toHaveCount(10);
  await expect(laptop.getByRole('region', { name: "Not in today's plan" })).toHaveCount(0);
  await expect(laptop.getByTestId('stop-eta').first()).toHaveText(/^ETA 08:\d{2}$/);
  await laptop.screenshot({ path: test.info().outputPath('route-planned-for-tomorrow.png') });
});
