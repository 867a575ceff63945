import type { Page } from '@playwright/test';
import { dayInZone, localTimeToIso } from '../../shared/domain/time-zone';
import { greatCircleMetres } from '../../shared/route';
import { OsrmStandIn } from '../fixtures/osrm-stand-in';
import { demoAgent, expect, named, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  appointment: { start: string; end: string } | null;
  address: { lat: number | null; lon: number | null };
}

const depot = { lat: 41.8819, lon: -87.6278 };
/** Every trip the stand-in is asked about takes 15 minutes; the app's defaults put 20 minutes at each door. */
const legSeconds = 900;
const serviceSeconds = 20 * 60;

/** The number of corners in the drawn route line (Leaflet writes "M x y L x y …"). */
async function lineVertices(page: Page, kind: 'road' | 'straight'): Promise<number> {
  const d = (await page.locator(`path.route-line-${kind}`).getAttribute('d')) ?? '';
  return d.split(/[ML]/).filter((part) => part.trim() !== '').length;
}

function clockAt(secondsSinceMidnight: number): string {
  const minutes = Math.floor(Math.round(secondsSinceMidnight) / 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

test('with a routing service the plan uses its road times and draws its road line; when it goes down the app says so and falls back', async ({
  server,
  openApp,
}) => {
  const osrm = new OsrmStandIn(legSeconds, 6000);
  await osrm.start();
  try {
    const agent1 = await demoAgent(server, 'agent1');
    const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}`);
    const seen = new Set<string>();
    const day = mine.jobs
      .filter((job) => job.appointment === null && job.address.lat !== null && !['recovered', 'cancelled', 'closed'].includes(job.status))
      .filter((job) => !seen.has(job.customer.name) && seen.add(job.customer.name))
      .slice(0, 3);
    expect(day).toHaveLength(3);

    const laptop = await openApp('routing-laptop');
    await signIn(laptop, 'agent1');
    await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
    // Planned at 07:30 in Chicago, before the 08:00 start, so the ETAs do not depend on when the test runs.
    const chicagoToday = dayInZone(Date.now(), 'America/Chicago');
    await laptop.clock.setFixedTime(new Date(localTimeToIso(`${chicagoToday} 07:30`, 'America/Chicago') ?? ''));

    await laptop.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Route', exact: true }).click();
    await laptop.getByText('Route settings').click();
    await laptop.getByLabel('Start the day from').selectOption('depot');
    await laptop.getByLabel('Depot latitude').fill(String(depot.lat));
    await laptop.getByLabel('Depot longitude').fill(String(depot.lon));
    await laptop.getByLabel('Routing service (OSRM) address').fill(osrm.url);
    await laptop.getByRole('button', { name: 'Save settings' }).click();
    await expect(laptop.getByText('Saved.')).toBeVisible();
    await laptop.getByText('Route settings').click();

    for (const job of day) await laptop.getByRole('checkbox', { name: named(job.customer.name) }).check();
    await laptop.getByRole('button', { name: 'Optimize' }).click();

    // Road times: 15 minutes between any two places, 20 at each door, leaving at 08:00.
    const etas = laptop.getByTestId('stop-eta');
    await expect(etas).toHaveText(['ETA 08:15', 'ETA 08:50', 'ETA 09:25']);
    await expect(laptop.getByTestId('route-leave')).toHaveText('08:00');
    await expect(laptop.getByTestId('travel-source')).toHaveText(/from the routing service/);
    await expect(laptop.getByTestId('routing-problem')).toHaveCount(0);
    const table = osrm.requests.find((request) => request.startsWith('/table/v1/driving/'));
    expect(table?.split('?')[0]?.split(';')).toHaveLength(4);
    expect(table).toContain('annotations=duration,distance');

    // The road line turns a corner between each pair of places: 4 places, 3 corners, drawn solid.
    await expect.poll(() => lineVertices(laptop, 'road')).toBe(7);
    await expect(laptop.locator('path.route-line-road')).not.toHaveAttribute('stroke-dasharray', /.+/);
    expect(osrm.requests.some((request) => request.startsWith('/route/v1/driving/') && request.includes('geometries=geojson'))).toBe(true);
    await laptop.screenshot({ path: 'tests/.artifacts/e2e/route-on-road-times.png' });

    // A reorder keeps the road times (every leg is still 15 minutes) and asks for the new line.
    const stops = laptop.getByRole('list', { name: 'Stops' }).getByRole('listitem');
    const firstName = (await stops.first().locator('.stop-name').textContent()) ?? '';
    const routeRequests = osrm.requests.filter((request) => request.startsWith('/route/')).length;
    await laptop.getByRole('button', { name: `Move ${firstName} down` }).click();
    await expect(stops.nth(1).locator('.stop-name')).toHaveText(firstName);
    await expect(etas).toHaveText(['ETA 08:15', 'ETA 08:50', 'ETA 09:25']);
    await expect.poll(() => osrm.requests.filter((request) => request.startsWith('/route/')).length).toBeGreaterThan(routeRequests);

    // The service goes down: planning again says so in words, and falls back to estimates and straight lines.
    await osrm.stop();
    await laptop.getByRole('button', { name: 'Optimize' }).click();
    await expect(laptop.getByTestId('routing-problem')).toHaveText(
      /^Road times unavailable: the routing service could not be reached \(.+\)\. ETAs use the straight-line estimate and the map draws straight lines; check the routing service address in Route settings, or carry on\.$/,
    );
    await expect(laptop.getByTestId('travel-source')).toHaveText(/estimated from straight-line distance/);
    await expect.poll(() => lineVertices(laptop, 'straight')).toBe(4);
    await expect(laptop.locator('path.route-line-straight')).toHaveAttribute('stroke-dasharray', '8 6');
    await expect(laptop.locator('path.route-line-road')).toHaveCount(0);

    // The ETAs are now the great-circle estimate: distance × 1.3 at 40 km/h, the app's defaults.
    const order = await stops.locator('.stop-name').allTextContents();
    const places = [depot, ...order.map((name) => {
      const job = day.find((candidate) => candidate.customer.name === name);
      if (!job || job.address.lat === null || job.address.lon === null) throw new Error(`no job named ${name}`);
      return { lat: job.address.lat, lon: job.address.lon };
    })];
    let clock = 8 * 3600;
    const expected = places.slice(1).map((place, i) => {
      const from = places[i] ?? depot;
      clock += (greatCircleMetres(from, place) * 1.3) / (40_000 / 3600);
      const eta = `ETA ${clockAt(clock)}`;
      clock += serviceSeconds;
      return eta;
    });
    await expect(etas).toHaveText(expected);
    expect(expected).not.toEqual(['ETA 08:15', 'ETA 08:50', 'ETA 09:25']);
    await laptop.screenshot({ path: 'tests/.artifacts/e2e/route-routing-down.png' });
  } finally {
    await osrm.stop();
  }
});
