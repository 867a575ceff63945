import type { Page } from '@playwright/test';
import { expect, logArrival, named, signIn, test } from './app-under-test';

interface ApiJob {
  status: string;
  customer: { name: string };
}
interface ApiUser {
  id: string;
  username: string;
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

async function openDoor(page: Page, customer: string): Promise<void> {
  await signIn(page, 'agent1');
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced');
  await page.getByRole('button', { name: named(customer) }).click();
  await logArrival(page, 'nobody_home');
}

test('an agent takes a photo with the laptop camera, and is told to import files when there is none', async ({ server, openApp }) => {
  const { users } = await server.api<{ users: ApiUser[] }>('dispatcher1', '/api/v1/users?role=agent');
  const agent1 = users.find((user) => user.username === 'agent1');
  if (!agent1) throw new Error('no agent1');
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

  const bare = await openApp('no-camera-laptop');
  await withCamera(bare, false);
  await openDoor(bare, job.customer.name);
  await bare.getByRole('button', { name: 'Use the camera' }).click();
  await expect(bare.getByText('No camera was found. Import photo files instead.')).toBeVisible();
  await expect(bare.getByText('Add photos')).toBeVisible();
});
