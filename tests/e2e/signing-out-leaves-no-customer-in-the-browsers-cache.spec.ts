import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closeApp, expect, signIn, test } from './app-under-test';

/** Every file under a folder, however deep. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/**
 * Signing out removes the agent's data from the laptop (PRODUCT.md, Personal data). The app
 * clears what it stores itself; this is what an attacker would read next: the browser's own
 * HTTP cache, which Chromium (the desktop app's, or a browser's) writes to disk in plain text.
 * Pull pages, job lists and photos must never be kept there. The profile is a real one on disk,
 * read after the app has closed, as someone holding the laptop would read it.
 */
test("after signing out, no customer the agent synced is left in the browser's HTTP cache on disk", async ({ openApp }) => {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'reclaim-profile-'));
  try {
    const laptop = await openApp('agent-laptop', { profileDir });
    await signIn(laptop, 'agent1');
    await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
    const customers = await laptop.locator('.job-row-customer').allTextContents();
    const addresses = await laptop.locator('.job-row-address').allTextContents();
    // The street part of each address ("6855 S Cicero Ave"), as it is written in the JSON.
    const streets = addresses.map((address) => address.split(',')[0] ?? '').filter((street) => street.length > 0);
    expect(customers.length).toBeGreaterThan(3);
    expect(streets.length).toBe(customers.length);

    await laptop.getByRole('button', { name: 'Sign out' }).click();
    await expect(laptop.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await closeApp(laptop);

    // Chromium's HTTP cache ("Cache"; Electron's is "Cache" under its user-data folder too).
    const cacheFiles = (await filesUnder(profileDir)).filter((file) => file.split(path.sep).includes('Cache'));
    expect(cacheFiles.length, 'the profile has an HTTP cache on disk (the app shell is kept there)').toBeGreaterThan(0);
    const found: string[] = [];
    for (const file of cacheFiles) {
      const text = (await readFile(file)).toString('latin1');
      for (const needle of [...customers, ...streets]) if (text.includes(needle)) found.push(`${needle} in ${path.relative(profileDir, file)}`);
    }
    expect(found, "customers' names and addresses left in the HTTP cache after signing out").toEqual([]);
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
});
