import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { pdfText } from '../fixtures/pdf-text';
import { demoAgent, expect, logArrival, named, signIn, signOnPad, test, type ServerUnderTest } from './app-under-test';

interface ApiJob {
  id: string;
  status: string;
  reviewReason: string | null;
  customer: { name: string };
  items: { id: string; serial: string }[];
}

interface CustodyAnswer {
  verdict: unknown;
  events: { kind: string; note: string; from: { role: string; name: string }; signatureHashes: string[]; photoHashes: string[] }[];
}

async function firstAssignedJob(server: ServerUnderTest): Promise<ApiJob & { item: { id: string; serial: string } }> {
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned');
  const item = job?.items[0];
  if (!job || !item) throw new Error('agent1 has no job');
  return { ...job, item };
}

async function doorPhoto(page: Page): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(800, 600);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.fillStyle = '#864';
    context.fillRect(0, 0, 800, 600);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  return { name: 'door.png', mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

/** Offline at the door: arrival, the item recovered; then the agent's own countersignature. */
async function recoverOffline(laptop: Page, job: ApiJob, serial: string): Promise<void> {
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await logArrival(laptop, 'recovered');
  await laptop.getByLabel(`Serial seen on ${serial}`).fill(serial);
  await laptop.getByRole('button', { name: `Record ${serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${serial}`)).toContainText('Recovered');
}

async function countersign(laptop: Page): Promise<void> {
  await laptop.getByLabel("Agent's printed name").fill('Alex Agent');
  await signOnPad(laptop, 'Agent signature pad');
  await laptop.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
}

/** Any other line of the client's checklist (not the signature) is gone past with a reason. */
async function reasonForTheRest(laptop: Page): Promise<void> {
  const blocks = laptop.getByTestId('checklist-blocks');
  if (await blocks.isVisible()) await laptop.getByLabel('Reason for going ahead without it').fill('Not the point of this test.');
}

async function syncAll(laptop: Page): Promise<void> {
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).not.toContainText('waiting');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced at');
}

test('offline, the customer declines to sign: the agent records why, attests, names a witness and a photo; the supervisor reads the refusal', async ({ server, openApp }) => {
  test.setTimeout(210_000);
  const job = await firstAssignedJob(server);
  const serial = job.item.serial;
  const reason = 'Says the lease was paid off and will not sign anything';

  const laptop = await openApp('refusal-laptop');
  await laptop.setViewportSize({ width: 1280, height: 1000 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  const photo = await doorPhoto(laptop);

  await server.stop();
  await recoverOffline(laptop, job, serial);
  await laptop.locator('input[type=file]').setInputFiles([photo]);
  await countersign(laptop);

  // No signature and no refusal: the app says both ways forward instead of a dead end.
  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  await expect(laptop.getByRole('alert').filter({ hasText: 'Customer declined to sign' })).toBeVisible();

  await laptop.getByLabel('Customer declined to sign (or cannot sign)').check();
  const form = laptop.getByTestId('refusal-form');
  await form.getByLabel("Customer's name").fill('Dana Customer');
  await form.getByLabel('Reason, in the customer').fill(reason);
  await form.getByLabel("Witness's name (optional)").fill('Sam Neighbour');
  // Without the attestation, nothing is recorded.
  await reasonForTheRest(laptop);
  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  await expect(laptop.getByRole('alert').filter({ hasText: 'Tick the attestation' })).toBeVisible();
  await form.getByLabel(/^Photo 1, taken/).check();
  await form.getByLabel(/attest that Dana Customer declined to sign/).check();
  await form.scrollIntoViewIfNeeded();
  await laptop.screenshot({ path: '/tmp/refusal-form.png', fullPage: true });

  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  const events = laptop.getByRole('list', { name: 'Custody events' });
  await expect(events).toContainText('Collected from the customer');
  const checklist = laptop.getByRole('region', { name: 'Client requirements' });
  await expect(checklist).toContainText(`overridden: Customer declined to sign: ${reason}`);

  await server.start();
  await syncAll(laptop);

  const record = await server.api<CustodyAnswer>('supervisor1', `/api/v1/jobs/${job.id}/custody`);
  expect(record.verdict).toEqual({ intact: true, events: 1 });
  const collected = record.events[0];
  expect(collected?.kind).toBe('collected');
  expect(collected?.from).toMatchObject({ role: 'customer', name: 'Dana Customer' });
  expect(collected?.signatureHashes).toHaveLength(1);
  expect(collected?.note.startsWith('reclaim-refusal-v1 {')).toBe(true);
  // The server took the refusal as the override it is: no "closed without the requirements" flag.
  const after = await server.api<{ job: ApiJob; notes: { text: string }[] }>('dispatcher1', `/api/v1/jobs/${job.id}`);
  expect(after.job.reviewReason ?? '').not.toContain("Closed without the client's requirements");
  expect(after.notes.map((note) => note.text).join('\n')).toContain(`Customer declined to sign: ${reason}; attested by`);

  const office = await openApp('refusal-supervisor');
  await office.setViewportSize({ width: 1400, height: 1000 });
  await signIn(office, 'supervisor1');
  await office.getByRole('button', { name: 'Supervise' }).click();
  await office.getByLabel('Search custody records').fill(serial);
  await office.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(office.getByTestId('timeline-serial')).toHaveText(serial);
  await expect(office.getByTestId('verdict')).toContainText('Intact');
  const refusal = office.getByTestId('refusal-note').first();
  await expect(refusal).toContainText(`Customer declined to sign: ${reason}; attested by`);
  await expect(refusal).toContainText('witness Sam Neighbour; 1 photo');
  await refusal.scrollIntoViewIfNeeded();
  await office.screenshot({ path: '/tmp/refusal-timeline.png', fullPage: true });

  // The signed PDF report prints the refusal in words too.
  const [pdf] = await Promise.all([office.waitForEvent('download'), office.getByRole('button', { name: 'Export PDF' }).click()]);
  const pdfPath = test.info().outputPath('refusal.pdf');
  await pdf.saveAs(pdfPath);
  const { text } = await pdfText(new Uint8Array(await readFile(pdfPath)));
  expect(text.replace(/\s+/g, ' ')).toContain(`Customer declined to sign: ${reason}; attested by`);
});

test('the customer signs by typing their name and accepting the statement, with the keyboard alone', async ({ server, openApp }) => {
  test.setTimeout(210_000);
  const job = await firstAssignedJob(server);
  const serial = job.item.serial;

  const laptop = await openApp('typed-signature-laptop');
  await laptop.setViewportSize({ width: 1280, height: 1000 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await recoverOffline(laptop, job, serial);

  // From the printed name on, the customer uses only the keyboard.
  await laptop.getByLabel("Customer's printed name").focus();
  await laptop.keyboard.type('Dana Customer');
  await laptop.keyboard.press('Tab'); // the statement
  await laptop.keyboard.press('Tab'); // "Type name instead of drawing"
  await expect(laptop.getByLabel('Type name instead of drawing').first()).toBeFocused();
  await laptop.keyboard.press('Space');
  await laptop.keyboard.press('Tab'); // the acceptance
  const acceptance = laptop.getByLabel(/I, Dana Customer, accept the statement above/);
  await expect(acceptance).toBeFocused();
  await laptop.keyboard.press('Space');
  await expect(acceptance).toBeChecked();
  await laptop.keyboard.press('Tab');
  await expect(laptop.getByRole('button', { name: 'Save customer signature' })).toBeFocused();
  await laptop.screenshot({ path: '/tmp/typed-signature.png', fullPage: true });
  await laptop.keyboard.press('Enter');
  await expect(laptop.getByText("The customer's signature — done")).toBeAttached();
  await expect(laptop.getByTestId('customer-signed')).toHaveText('Signed by Dana Customer with a typed name, the statement accepted.');

  await countersign(laptop);
  await reasonForTheRest(laptop);
  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');
  await syncAll(laptop);

  const record = await server.api<CustodyAnswer>('supervisor1', `/api/v1/jobs/${job.id}/custody`);
  expect(record.verdict).toEqual({ intact: true, events: 1 });
  expect(record.events[0]?.from).toMatchObject({ role: 'customer', name: 'Dana Customer' });
  expect(record.events[0]?.signatureHashes).toHaveLength(2);
});
