import type { Page } from '@playwright/test';
import { demoAgent, expect, logArrival, named, signIn, signOnPad, test } from './app-under-test';

interface ApiJob {
  id: string;
  clientId: string;
  clientName: string;
  status: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

async function plateFile(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(1200, 800);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#468';
    context.fillRect(0, 0, 1200, 800);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return { name: 'plate.png', mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

test("the office sets a client's requirements; offline, the agent's checklist ticks and blocks the collection until met or overridden with a reason", async ({ server, openApp }) => {
  test.setTimeout(210_000);
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned');
  const item = job?.items[0];
  if (!job || !item) throw new Error('agent1 has no job');

  const office = await openApp('requirements-office');
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Client requirements' }).click();
  await office.getByRole('combobox', { name: 'Client', exact: true }).selectOption({ label: job.clientName });
  await expect(office.getByText('This client has set nothing')).toBeVisible();
  await office.getByLabel("A photo of each recovered item's serial plate").check();
  await office.getByLabel('A condition grade for each recovered item').check();
  await office.getByRole('button', { name: 'Save requirements' }).click();
  await expect(office.getByText('Saved. Agents get the new checklist')).toBeVisible();

  const laptop = await openApp('requirements-laptop');
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  const file = await plateFile(laptop);

  await server.stop();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await logArrival(laptop, 'recovered');

  const checklist = laptop.getByRole('region', { name: 'Client requirements' });
  await expect(checklist).toContainText("A photo of each recovered item's serial plate");
  await expect(checklist).toContainText('A condition grade for each recovered item');

  // Recovered without a grade: the grade line stays open.
  await laptop.getByLabel(`Serial seen on ${item.serial}`).fill(item.serial);
  await laptop.getByRole('button', { name: `Record ${item.serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${item.serial}`)).toContainText('Recovered');
  await expect(checklist).toContainText('1 recovered item not graded');

  // A serial-plate photo of the item ticks its line.
  await laptop.getByLabel('Photo of').selectOption({ label: `serial plate of ${item.serial}` });
  await laptop.locator('input[type=file]').setInputFiles([file]);
  await expect(laptop.getByText("A photo of each recovered item's serial plate — done")).toBeAttached();

  await laptop.getByLabel("Customer's printed name").fill('Dana Customer');
  await signOnPad(laptop, 'Customer signature pad');
  await laptop.getByRole('button', { name: 'Save customer signature' }).click();
  await expect(laptop.getByText("The customer's signature — done")).toBeAttached();

  await laptop.getByLabel("Agent's printed name").fill('Alex Agent');
  await signOnPad(laptop, 'Agent signature pad');
  await laptop.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
  // Still one line open: the collection is refused without a reason, recorded with one.
  await expect(laptop.getByTestId('checklist-blocks')).toBeVisible();
  await laptop.getByRole('button', { name: 'Record collection anyway' }).click();
  await expect(laptop.getByRole('alert').filter({ hasText: "The client's requirements are not met" })).toBeVisible();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).not.toContainText('Collected');

  await laptop.getByLabel('Reason for going ahead without it').fill('Customer left before the unit could be graded.');
  await laptop.getByRole('button', { name: 'Record collection anyway' }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Customer left before the unit could be graded.');

  await laptop.getByRole('button', { name: 'Record departure' }).click();
  await expect(laptop.getByRole('list', { name: 'Visits' })).toContainText('left');

  // After the collection: sealed in a bag with its number, then a correction of that record.
  await laptop.getByRole('combobox', { name: 'Custody event', exact: true }).selectOption('sealed');
  await laptop.getByLabel('Seal number').fill('SEAL-0042');
  await laptop.getByRole('button', { name: 'Record custody event' }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Sealed');
  const sealed = laptop.getByRole('combobox', { name: 'Event to correct' });
  await sealed.selectOption({ index: 2 });
  await laptop.getByLabel('What was wrong, and what is right').fill('The seal number is SEAL-0043, not SEAL-0042.');
  await laptop.getByRole('button', { name: 'Record correction' }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Correction: The seal number is SEAL-0043');

  await server.start();
  // Files whose uploads failed while the server was down are in back-off (up to minutes after a
  // long offline stretch); one press of "Sync now" sends them at once, then the records.
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced at');

  const record = await server.api<{ verdict: unknown; events: { id: string; kind: string; note: string; sealNumber: string | null; correctsEventId: string | null }[] }>('supervisor1', `/api/v1/jobs/${job.id}/custody`);
  expect(record.verdict).toEqual({ intact: true, events: 3 });
  expect(record.events.map((event) => event.kind)).toEqual(['collected', 'sealed', 'sealed']);
  expect(record.events[1]?.sealNumber).toBe('SEAL-0042');
  expect(record.events[2]?.correctsEventId).toBe(record.events[1]?.id);
  expect(record.events[0]?.note).toContain('Client requirements overridden');
  expect(record.events[0]?.note).toContain('not graded');
  expect(record.events[0]?.note).toContain('Customer left before the unit could be graded.');
});
