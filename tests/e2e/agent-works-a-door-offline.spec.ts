import type { Page } from '@playwright/test';
import { demoAgent, expect, logArrival, named, shellCachedForOffline, signIn, signOnPad, test } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

/** Real PNG files, drawn by the browser itself, as a camera roll would provide them. */
async function photoFiles(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  const encoded = await page.evaluate(async () => {
    const out: string[] = [];
    for (const colour of ['#3a7', '#c53']) {
      const canvas = new OffscreenCanvas(3000, 2000);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.fillStyle = colour;
      context.fillRect(0, 0, 3000, 2000);
      context.fillStyle = '#fff';
      context.font = '200px sans-serif';
      context.fillText('SERIAL PLATE', 400, 1000);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      out.push(btoa(binary));
    }
    return out;
  });
  return encoded.map((base64, i) => ({ name: `plate-${i + 1}.png`, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') }));
}

test('an agent works a door offline: visit, photos, serials, signatures, collection and hand-over; the server verifies the chain', async ({ server, openApp }) => {
  test.setTimeout(210_000);
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  // Only jobs still open reach the laptop (the demo also holds closed history).
  const open = mine.jobs.filter((candidate) => candidate.status === 'assigned');
  const job = open.find((candidate) => candidate.items.length >= 3) ?? open.find((candidate) => candidate.items.length >= 2);
  if (!job) throw new Error('agent1 has no job with several items');
  const [typed, scanned, missing] = job.items;
  if (!typed || !scanned) throw new Error('two items');

  const laptop = await openApp('door-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);
  const files = await photoFiles(laptop);

  await server.stop();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();

  // Arrival: outside 08:00–21:00 Chicago time the app warns first and records the override.
  await logArrival(laptop, 'partial');
  await expect(laptop.getByRole('list', { name: 'Visits' })).toContainText('Partly recovered');

  await laptop.locator('input[type=file]').setInputFiles(files);
  await expect(laptop.getByRole('img', { name: 'Photo 2' })).toBeVisible();

  await laptop.getByLabel(`Serial seen on ${typed.serial}`).fill(typed.serial);
  await laptop.getByLabel(`Grade of ${typed.serial}`).selectOption('B');
  await laptop.getByRole('button', { name: `Record ${typed.serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${typed.serial}`)).toContainText('serial typed');

  // A keyboard-wedge scanner: fast keystrokes ending in Enter, with the focus anywhere.
  await laptop.getByRole('heading', { name: 'Equipment' }).click();
  // A USB scanner delivers its keys within a millisecond or two of each other. Playwright's own
  // typing sends each key in a separate round trip, which on a loaded machine can leave gaps a
  // scanner never leaves, so the burst is sent from inside the page, to whatever has the focus.
  await laptop.evaluate((keys) => {
    const target = document.activeElement ?? document.body;
    for (const key of keys) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, [...scanned.serial, 'Enter']);
  await expect(laptop.getByTestId(`item-state-${scanned.serial}`)).toContainText('serial scanner');

  if (missing) {
    await laptop.getByLabel(`Status of ${missing.serial}`).selectOption('missing');
    await laptop.getByRole('button', { name: `Record ${missing.serial}` }).click();
    await expect(laptop.getByTestId(`item-state-${missing.serial}`)).toContainText('Missing');
  }
  await expect(laptop.getByTestId('inventory-summary')).toContainText('recovered 2');

  // A scribble is refused; a signature is kept.
  await laptop.getByLabel("Customer's printed name").fill('Dana Customer');
  await laptop.getByRole('button', { name: 'Save customer signature' }).click();
  await expect(laptop.getByText('The pad is empty')).toBeVisible();
  await signOnPad(laptop, 'Customer signature pad');
  await laptop.getByRole('button', { name: 'Save customer signature' }).click();
  await expect(laptop.getByText("The customer's signature — done")).toBeAttached();

  await laptop.getByLabel("Agent's printed name").fill('Alex Agent');
  await signOnPad(laptop, 'Agent signature pad');
  await laptop.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
  await laptop.getByRole('button', { name: 'Record collection' }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');

  await laptop.getByLabel("Warehouse clerk's printed name").fill('Wes Clerk');
  await signOnPad(laptop, 'Warehouse clerk signature pad');
  await laptop.getByRole('button', { name: 'Save warehouse clerk signature' }).click();
  await laptop.getByRole('button', { name: 'Record hand-over to warehouse' }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Received at the warehouse');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('waiting');
  // A picture of the finished door work for the test report (the detail pane scrolls on its own).
  await laptop.setViewportSize({ width: 1280, height: 2600 });
  await laptop.getByRole('heading', { name: 'At the door' }).scrollIntoViewIfNeeded();
  await laptop.screenshot({ path: test.info().outputPath('door-offline.png') });
  await laptop.setViewportSize({ width: 1280, height: 720 });

  await server.start();
  // Files whose uploads failed while the server was down are in back-off (up to minutes after a
  // long offline stretch); one press of "Sync now" sends them at once, then the records.
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced at');

  const record = await server.api<{ verdict: unknown; events: { kind: string; photoHashes: string[]; signatureHashes: string[] }[] }>('supervisor1', `/api/v1/jobs/${job.id}/custody`);
  expect(record.verdict).toEqual({ intact: true, events: 2 });
  expect(record.events.map((event) => event.kind)).toEqual(['collected', 'received']);
  expect(record.events[0]?.photoHashes).toHaveLength(2);
  // The customer's signature and the agent's countersignature.
  expect(record.events[0]?.signatureHashes).toHaveLength(2);
  expect(record.events[1]?.signatureHashes).toHaveLength(1);
});
