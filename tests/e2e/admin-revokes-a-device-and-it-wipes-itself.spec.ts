import type { Page } from '@playwright/test';
import { expect, signIn, test } from './app-under-test';

test('the idle lock asks for the password offline, and a revoked laptop wipes itself', async ({ server, openApp }) => {
  const laptop = await openApp('agent-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');

  // Locked and offline: the password is checked against the hash on the laptop.
  await laptop.getByRole('button', { name: 'Lock', exact: true }).click();
  const lock = laptop.getByRole('dialog', { name: 'Reclaim is locked' });
  await expect(lock).toBeVisible();
  await laptop.context().setOffline(true);
  // A reload does not lift the lock.
  await laptop.reload();
  await expect(lock).toBeVisible();
  await lock.getByLabel('Password').fill('not-my-password');
  await lock.getByRole('button', { name: 'Unlock' }).click();
  await expect(lock.getByRole('alert')).toContainText('not the password');
  await lock.getByLabel('Password').fill('demo1234');
  await lock.getByRole('button', { name: 'Unlock' }).click();
  await expect(lock).toBeHidden();
  await laptop.context().setOffline(false);

  // The admin revokes the laptop from the admin view.
  const desk = await openApp('admin-desk');
  await signIn(desk, 'admin');
  await desk.getByRole('button', { name: 'Admin' }).click();
  const deviceRow = desk.getByRole('row').filter({ hasText: 'Marcus Bell' }).filter({ hasText: 'Allowed' }).first();
  await expect(deviceRow).toBeVisible();
  desk.once('dialog', (dialog) => void dialog.accept());
  await deviceRow.getByRole('button', { name: 'Revoke' }).click();
  await expect(desk.getByRole('status').filter({ hasText: 'Revoked' })).toBeVisible();

  // At its next contact the laptop is refused, removes its data and says why.
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByRole('alert')).toContainText('revoked this device');
  await expect(laptop.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const jobsLeft = await laptop.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('reclaim');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction('jobs').objectStore('jobs').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
  );
  expect(jobsLeft).toBe(0);
});
