import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeRasterRegionPack } from '../fixtures/raster-region-pack';
import { expect, shellCachedForOffline, signIn, test } from './app-under-test';

test('an agent downloads the operating area’s region pack and still has it offline', async ({ server, openApp }) => {
  const pack = writeRasterRegionPack({ south: 41.64, west: -87.94, north: 42.02, east: -87.52 }, 10, 12);
  await writeFile(path.join(server.dataDir, 'regions', 'chicago.pmtiles'), pack);

  const laptop = await openApp('laptop-a');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);

  await laptop.getByRole('button', { name: 'Route' }).click();
  await laptop.getByText('Offline map').click();
  await laptop.getByRole('button', { name: 'Check the sync server for region packs' }).click();
  await laptop.getByRole('button', { name: 'Download chicago.pmtiles' }).click();
  await expect(laptop.getByText('zooms 10–12')).toBeVisible();

  await server.stop();
  await laptop.reload();
  await laptop.getByRole('button', { name: 'Route' }).click();
  await laptop.getByText('Offline map').click();
  await expect(laptop.getByText('chicago.pmtiles', { exact: true })).toBeVisible();
  await expect(laptop.getByText('zooms 10–12')).toBeVisible();
});
