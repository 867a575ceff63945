import type { Page } from '@playwright/test';
import { demoAgent, expect, logArrival, named, shellCachedForOffline, signIn, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}
interface ApiPersonalProperty {
  property: { entry: { description: string; itemId: string | null; photoHashes: string[] }; status: string; location: string | null; events: { kind: string }[] }[];
}

/** A real JPEG drawn by the browser itself, as a camera roll would provide it. */
async function photoOfBelongings(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(1600, 1200);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#7a4b2a';
    context.fillRect(0, 0, 1600, 1200);
    context.fillStyle = '#fff';
    context.font = '120px sans-serif';
    context.fillText('WALLET', 500, 620);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return { name: 'wallet.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(base64, 'base64') };
}

test('an agent records personal property offline, with a photo, stores it, and the server holds it after sync', async ({ server, openApp }) => {
  test.setTimeout(180_000);
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  const item = job?.items[0];
  if (!job || !item) throw new Error('agent1 has no open job with an item');

  const laptop = await openApp('property-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);
  const photo = await photoOfBelongings(laptop);

  await server.stop();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await logArrival(laptop, 'recovered');

  const description = 'Leather wallet with a driver’s licence';
  await laptop.getByRole('button', { name: 'Add personal property' }).click();
  const found = laptop.getByRole('form', { name: 'Record personal property' });
  // Nothing typed yet: the app says what is missing and records nothing.
  await found.getByRole('button', { name: 'Record personal property' }).click();
  await expect(found.getByRole('alert')).toContainText('say what was found');
  await found.getByLabel('What was found').fill(description);
  await found.getByLabel('Where it was found').fill('in the laptop bag’s front pocket');
  await found.getByLabel('Found with').selectOption(item.id);
  await found.getByLabel('Add photos of the belongings').setInputFiles([photo]);
  await expect(found.getByRole('img', { name: 'Photo 1 of the belongings' })).toBeVisible();
  await found.getByRole('button', { name: 'Record personal property' }).click();

  const list = laptop.getByRole('list', { name: 'Personal property found' });
  const card = list.getByRole('listitem', { name: description });
  await expect(card.getByTestId('property-status')).toHaveText('With the agent who found it');
  await expect(card.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await expect(card).toContainText(item.serial);

  const fate = card.getByRole('form', { name: `What became of: ${description}` });
  await fate.getByLabel('What became of it').selectOption('stored');
  await fate.getByLabel('Stored where').fill('Warehouse shelf B4, bag 17');
  await fate.getByRole('button', { name: 'Record: stored' }).click();
  await expect(card.getByTestId('property-status')).toHaveText('Stored at Warehouse shelf B4, bag 17');
  await expect(card.getByText('Waiting to sync')).toBeVisible();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');

  await laptop.setViewportSize({ width: 1280, height: 2400 });
  await laptop.getByRole('heading', { name: 'Personal property' }).scrollIntoViewIfNeeded();
  await laptop.screenshot({ path: test.info().outputPath('personal-property-offline.png') });
  await laptop.setViewportSize({ width: 1280, height: 720 });

  await server.start();
  // Uploads that failed while the server was down wait out their back-off; press "Sync now" as a person would.
  await expect(async () => {
    await laptop.getByRole('button', { name: 'Sync now' }).click();
    await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced', { timeout: 5_000 });
    await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting', { timeout: 1_000 });
  }).toPass({ timeout: 90_000, intervals: [2_000] });
  await expect(card.getByText('Waiting to sync')).toHaveCount(0);

  const held = await server.api<ApiPersonalProperty>('dispatcher1', `/api/v1/jobs/${job.id}/personal-property`);
  expect(held.property).toHaveLength(1);
  expect(held.property[0]).toMatchObject({ entry: { description, itemId: item.id }, status: 'stored', location: 'Warehouse shelf B4, bag 17', events: [{ kind: 'stored' }] });
  expect(held.property[0]?.entry.photoHashes).toHaveLength(1);
});
