import { expect, shellCachedForOffline, signIn, test } from './app-under-test';

interface ApiNote {
  text: string;
}

async function localJobCount(page: import('@playwright/test').Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('reclaim');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('jobs')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('jobs').objectStore('jobs').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}

test('signing out warns about unsynced work offline, and online pushes it before wiping the laptop', async ({
  server,
  openApp,
}) => {
  const laptop = await openApp('laptop-a');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);
  expect(await localJobCount(laptop)).toBeGreaterThan(0);

  await server.stop();
  const firstJob = laptop.getByRole('main').getByRole('button').first();
  await firstJob.click();
  const note = `Spoke to the neighbour (${Date.now()})`;
  await laptop.getByLabel('Add a note').fill(note);
  await laptop.getByRole('button', { name: 'Add note' }).click();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');

  // Offline: the app refuses to drop the note without a clear yes.
  await laptop.getByRole('button', { name: 'Sign out' }).click();
  const warning = laptop.getByRole('alertdialog');
  await expect(warning).toContainText('1 change has not synced yet');
  await warning.getByRole('button', { name: 'Keep working' }).click();
  await expect(laptop.getByText(note)).toBeVisible();

  // Online again: signing out pushes the note first, then removes the agent's data.
  await server.start();
  await laptop.getByRole('button', { name: 'Sign out' }).click();
  await expect(laptop.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await localJobCount(laptop)).toBe(0);

  const { jobs } = await server.api<{ jobs: { id: string }[] }>('dispatcher1', '/api/v1/jobs?limit=1000');
  const notes: string[] = [];
  for (const job of jobs) {
    const detail = await server.api<{ notes: ApiNote[] }>('dispatcher1', `/api/v1/jobs/${job.id}`);
    notes.push(...detail.notes.map((entry) => entry.text));
  }
  expect(notes).toContain(note);
});
