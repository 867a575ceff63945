import type { Page } from '@playwright/test';
import type { MapPoints } from '../../shared/dispatch/dispatch-map-api';
import { bulkVerdict, isFinished } from '../../shared/dispatch/bulk-action';
import { demoAgent, expect, signIn, test } from './app-under-test';


test('a dispatcher selects an area on the map and assigns its jobs to an agent', async ({ server, openApp }) => {
  const agent3 = await demoAgent(server, 'agent3');
  const before = await server.api<MapPoints>('dispatcher1', '/api/v1/dispatch/map-points');
  const located = before.jobs.filter((job): job is typeof job & { lat: number; lon: number } => job.lat !== null && job.lon !== null);

  const office = await openApp('dispatcher');
  await office.setViewportSize({ width: 1440, height: 900 });
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Map', exact: true }).click();

  const map = office.locator('.dispatch-map');
  await expect(map).toBeVisible();
  await expect(office.locator('.job-cluster').first()).toBeVisible();
  await expect(office.getByText(`${located.length} jobs on the map`)).toBeVisible();
  await expect(office.getByRole('complementary', { name: 'Map details' }).getByText('Tomás Herrera')).toBeVisible();
  // Let the framing animation settle before drawing, so pixels mean what the test thinks.
  await office.waitForTimeout(600);
  await office.screenshot({ path: test.info().outputPath('dispatch-map.png') });

  // The map frames every job, so its centre line is half-way between the westmost and eastmost
  // job; a box over the western half selects exactly the jobs west of that line.
  const lons = located.map((job) => job.lon);
  const centreLon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const tolerance = 0.01;
  // A box takes only jobs some act applies to: finished ones are left out (and said so).
  const open = located.filter((job) => !isFinished(job.status));
  const west = open.filter((job) => job.lon < centreLon - tolerance);
  const east = open.filter((job) => job.lon > centreLon + tolerance);

  const box = await map.boundingBox();
  if (!box) throw new Error('the map has no size');
  await office.getByRole('button', { name: 'Select box' }).click();
  await office.mouse.move(box.x + 4, box.y + 4);
  await office.mouse.down();
  await office.mouse.move(box.x + box.width / 2 - 3, box.y + box.height - 4, { steps: 12 });
  await office.mouse.up();

  const count = office.locator('.map-selection-count');
  await expect(count).not.toHaveText('0 selected');
  const selected = Number((await count.textContent())?.split(' ')[0]);
  expect(selected).toBeGreaterThanOrEqual(west.length);
  expect(selected).toBeLessThanOrEqual(open.length - east.length);
  await office.screenshot({ path: test.info().outputPath('dispatch-map-selected.png') });

  await office.getByLabel('Assign to agent').selectOption(agent3.id);
  await office.getByRole('button', { name: `Assign ${selected} jobs` }).click();
  // Jobs on other agents' lists are in the box: the dispatcher is asked, and takes them.
  await office.getByRole('alertdialog').getByRole('button', { name: /^Assign all/ }).click();
  await expect(office.getByRole('group', { name: 'Result of the last bulk action' })).toContainText('Assigned');
  await expect(count).toHaveText('0 selected');

  const after = await server.api<MapPoints>('dispatcher1', '/api/v1/dispatch/map-points');
  const previously = new Map(before.jobs.map((job) => [job.id, job]));
  const moved = after.jobs.filter((job) => previously.get(job.id)?.assignedAgentId !== job.assignedAgentId);
  expect(moved.every((job) => job.assignedAgentId === agent3.id)).toBe(true);
  expect(moved.every((job) => !east.some((far) => far.id === job.id))).toBe(true);
  const mustMove = west.filter((job) => bulkVerdict({ kind: 'assign', agentId: agent3.id }, job).kind !== 'skip');
  expect(mustMove.length).toBeGreaterThan(0);
  expect(moved.map((job) => job.id).sort()).toEqual(expect.arrayContaining(mustMove.map((job) => job.id).sort()));

  // The same answer through the jobs API the brief names: agent3's list now holds them.
  const agent3Jobs = await server.api<{ jobs: { id: string }[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent3.id}&limit=1000`);
  const theirs = new Set(agent3Jobs.jobs.map((job) => job.id));
  expect(mustMove.every((job) => theirs.has(job.id))).toBe(true);
  await office.screenshot({ path: test.info().outputPath('dispatch-map-assigned.png') });
});
