import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { demoAgent, expect, logArrival, named, signIn, test } from './app-under-test';
import { writeBarcodeVideo } from './barcode-video';

interface ApiJob {
  status: string;
  customer: { name: string };
  items: { serial: string }[];
}

/** A camera the test controls: a moving canvas served as the video stream, or no camera at all. */
async function withCamera(page: Page, present: boolean): Promise<void> {
  await page.addInitScript((hasCamera: boolean) => {
    const devices = navigator.mediaDevices;
    devices.getUserMedia = async () => {
      if (!hasCamera) throw new DOMException('Requested device not found', 'NotFoundError');
      const canvas = document.createElement('canvas');
      canvas.width = 1280;
      canvas.height = 720;
      const context = canvas.getContext('2d');
      let frame = 0;
      setInterval(() => {
        if (!context) return;
        frame += 1;
        context.fillStyle = `hsl(${frame % 360}, 60%, 45%)`;
        context.fillRect(0, 0, 1280, 720);
      }, 40);
      return canvas.captureStream(25);
    };
  }, present);
  await page.reload();
}

async function openDoor(page: Page, customer: string, outcome = 'nobody_home'): Promise<void> {
  await signIn(page, 'agent1');
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced');
  await page.getByRole('button', { name: named(customer) }).click();
  await logArrival(page, outcome);
}

test('an agent takes a photo with the laptop camera, and is told to import files when there is none', async ({ server, openApp }) => {
  const agent1 = await demoAgent(server, 'agent1');
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = jobs.find((candidate) => candidate.status === 'assigned');
  if (!job) throw new Error('agent1 has no open job');

  const laptop = await openApp('camera-laptop');
  await withCamera(laptop, true);
  await openDoor(laptop, job.customer.name);
  await laptop.getByRole('button', { name: 'Use the camera' }).click();
  await expect(laptop.getByLabel('camera preview')).toBeVisible();
  await laptop.getByRole('button', { name: 'Take photo' }).click();
  await expect(laptop.getByRole('img', { name: 'Photo 1' })).toBeVisible();
  await laptop.getByRole('button', { name: 'Close camera' }).click();
  // The visit reaches the server before the second laptop opens the job, so that laptop's list
  // of visits is settled when it logs its own.
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');

  const bare = await openApp('no-camera-laptop');
  await withCamera(bare, false);
  await signIn(bare, 'agent1');
  await expect(bare.getByTestId('sync-indicator')).toContainText('Synced');
  await bare.getByRole('button', { name: named(job.customer.name) }).click();
  await expect(bare.getByRole('list', { name: 'Visits' }).getByRole('listitem')).toHaveCount(1);
  await logArrival(bare, 'nobody_home');
  await bare.getByRole('button', { name: 'Use the camera' }).click();
  await expect(bare.getByText('No camera was found. Import photo files instead.')).toBeVisible();
  await expect(bare.getByText('Add photos')).toBeVisible();
});

// Code 128 is the linear code on most asset labels; QR the common 2-D one.
for (const symbology of ['code128', 'qr'] as const) test(`an agent holds an item's ${symbology} label up to the laptop camera and the app confirms that item's serial`, async ({ server, openApp }, testInfo) => {
  const agent1 = await demoAgent(server, 'agent1');
  const { jobs } = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length >= 2);
  const [item, other] = job?.items ?? [];
  if (!job || !item || !other) throw new Error('agent1 has no open job with two items');

  // Chromium's own fake camera plays a video of the item's label: the whole path from the camera
  // through getUserMedia and the ZXing reader is the real one.
  const folder = await mkdtemp(path.join(os.tmpdir(), 'reclaim-barcode-'));
  const video = path.join(folder, 'label.y4m');
  await writeBarcodeVideo(video, item.serial, symbology);
  const laptop = await openApp(`${symbology}-laptop`, {
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  await openDoor(laptop, job.customer.name, 'recovered');

  await laptop.getByRole('button', { name: 'Scan with the camera' }).click();
  await expect(laptop.getByLabel('barcode scanner preview')).toBeVisible();
  await expect(laptop.getByRole('status').filter({ hasText: `Read ${item.serial}.` })).toBeVisible();
  await laptop.getByRole('button', { name: 'Close barcode scanner' }).scrollIntoViewIfNeeded();
  await laptop.screenshot({ path: testInfo.outputPath('camera-scan.png') });

  await expect(laptop.getByTestId(`item-state-${item.serial}`)).toHaveText('Recovered · serial camera');
  await expect(laptop.getByTestId('inventory-summary')).toContainText('recovered 1');
  await expect(laptop.getByTestId(`item-state-${other.serial}`)).toHaveCount(0);
  await laptop.getByRole('button', { name: 'Close barcode scanner' }).click();
  await expect(laptop.getByLabel('barcode scanner preview')).toHaveCount(0);
  await rm(folder, { recursive: true, force: true });
});
