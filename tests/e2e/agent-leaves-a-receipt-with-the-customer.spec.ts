import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { demoAgent, expect, logArrival, named, shellCachedForOffline, signIn, signOnPad, test } from './app-under-test';
import { expectNoSeriousAxeViolations } from './axe';

interface ApiJob {
  id: string;
  status: string;
  accountRef: string;
  clientName: string;
  customer: { name: string };
  items: { id: string; serial: string }[];
}
interface ApiReceipts {
  receipts: { receipt: { id: string; number: string; sha256: string; visitId: string }; madeBy: string }[];
}

/** What a person reading the PDF gets: poppler's pdftotext, whitespace folded. */
function pdftotext(path: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

async function downloadFrom(page: Page, button: ReturnType<Page['getByRole']>, name: string): Promise<{ path: string; fileName: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = test.info().outputPath(name);
  await download.saveAs(path);
  return { path, fileName: download.suggestedFilename() };
}

test('offline at the door the agent makes, reads and saves the customer’s receipt; after sync the office finds the same PDF on the job', async ({ server, openApp }) => {
  test.setTimeout(240_000);
  const agent1 = await demoAgent(server, 'agent1');
  const mine = await server.api<{ jobs: ApiJob[] }>('dispatcher1', `/api/v1/jobs?assignedAgentId=${agent1.id}&limit=100`);
  const job = mine.jobs.find((candidate) => candidate.status === 'assigned' && candidate.items.length > 0);
  const serial = job?.items[0]?.serial;
  if (!job || !serial) throw new Error('agent1 has no open job with an item');
  const reason = 'Says the lease was paid off';

  // The dispatcher gives the client a contact line for its customers, next to its checklist.
  const office = await openApp('receipt-dispatcher');
  await office.setViewportSize({ width: 1400, height: 1000 });
  await signIn(office, 'dispatcher1');
  await office.getByRole('button', { name: 'Dispatch' }).click();
  await office.getByRole('navigation', { name: 'Dispatch' }).getByRole('button', { name: 'Client requirements' }).click();
  await office.getByRole('combobox', { name: 'Client', exact: true }).selectOption({ label: job.clientName });
  const contact = office.getByRole('group', { name: /How customers reach this client/ });
  await contact.getByLabel('Phone').fill('312 555 0100');
  await contact.getByLabel('Email').fill('returns@lessor.example');
  await contact.getByRole('button', { name: 'Save contact line' }).click();
  await expect(office.getByText('Saved. Receipts made after')).toBeVisible();

  const laptop = await openApp('receipt-laptop');
  await laptop.setViewportSize({ width: 1280, height: 1000 });
  await signIn(laptop, 'agent1');
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced');
  await shellCachedForOffline(laptop);
  const agentName = ((await laptop.locator('.app-user-name').textContent()) ?? '').trim();
  expect(agentName).not.toBe('');

  // No signal at the door.
  await server.stop();
  await laptop.getByRole('button', { name: named(job.customer.name) }).click();
  await logArrival(laptop, 'recovered');
  await laptop.getByLabel(`Serial seen on ${serial}`).fill(serial);
  await laptop.getByRole('button', { name: `Record ${serial}` }).click();
  await expect(laptop.getByTestId(`item-state-${serial}`)).toContainText('Recovered');
  const receipts = laptop.getByRole('region', { name: 'Customer receipt' });
  await expect(receipts).toContainText('Record the collection first');
  await expect(receipts.getByRole('button', { name: 'Make the customer receipt' })).toHaveCount(0);

  await laptop.getByLabel("Agent's printed name").fill('Alex Agent');
  await signOnPad(laptop, 'Agent signature pad');
  await laptop.getByRole('button', { name: 'Save agent signature' }).click();
  await expect(laptop.getByTestId('countersigned')).toBeVisible();
  await laptop.getByLabel('Customer declined to sign (or cannot sign)').check();
  const refusal = laptop.getByTestId('refusal-form');
  await refusal.getByLabel("Customer's name").fill('Dana Customer');
  await refusal.getByLabel('Reason, in the customer').fill(reason);
  await refusal.getByLabel(/attest that Dana Customer declined to sign/).check();
  if (await laptop.getByTestId('checklist-blocks').isVisible()) await laptop.getByLabel('Reason for going ahead without it').fill('Not the point of this test.');
  await laptop.getByRole('button', { name: /^Record collection/ }).click();
  await expect(laptop.getByRole('list', { name: 'Custody events' })).toContainText('Collected from the customer');

  // The receipt, made offline: it opens on its title, says what was taken and how to reach the lessor.
  await receipts.getByRole('button', { name: 'Make the customer receipt' }).click();
  const dialog = laptop.getByRole('dialog', { name: 'Receipt for equipment collected' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Receipt for equipment collected' })).toBeFocused();
  const sheet = dialog.getByTestId('receipt-sheet');
  await expect(sheet).toContainText(`serial ${serial}`);
  await expect(sheet).toContainText(`Customer declined to sign (Dana Customer). Reason: ${reason}.`);
  await expect(sheet).toContainText('Phone 312 555 0100 · returns@lessor.example');
  await expect(sheet).toContainText(`Account ${job.accountRef} with ${job.clientName}`);
  await expect(sheet).toContainText(/Made \w{3}, \w{3} \d{1,2}, \d{2}:\d{2} \S+ \(UTC[+-]\d{2}:\d{2}\)/);
  const number = ((await sheet.textContent()) ?? '').match(/RC-\d{8}-[0-9A-F]{6}/)?.[0];
  if (!number) throw new Error('the receipt shows no number');
  await expectNoSeriousAxeViolations(laptop, 'door: customer receipt');
  await laptop.screenshot({ path: test.info().outputPath('customer-receipt.png') });

  const saved = await downloadFrom(laptop, dialog.getByRole('button', { name: 'Save PDF' }), 'receipt.pdf');
  expect(saved.fileName).toBe(`receipt-${number}.pdf`);
  const text = pdftotext(saved.path);
  expect(text).toContain('Receipt for equipment collected');
  expect(text).toContain(`Receipt number ${number}`);
  expect(text).toContain(`serial ${serial}`);
  expect(text).toContain(`Customer declined to sign (Dana Customer). Reason: ${reason}.`);
  expect(text).toContain(`Agent: ${agentName}; at the door since`);
  expect(text).toContain('Phone 312 555 0100 · returns@lessor.example');
  expect(text).toMatch(/\(UTC[+-]\d{2}:\d{2}\)/);
  const pdfHash = createHash('sha256').update(await readFile(saved.path)).digest('hex');

  // Escape closes it, and the focus goes back to where the agent was.
  await laptop.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(receipts.getByRole('button', { name: `Receipt ${number}` })).toBeVisible();
  await expect(receipts).toContainText('waiting to upload');

  await server.start();
  await laptop.getByRole('button', { name: 'Sync now' }).click();
  await expect(laptop.getByTestId('sync-indicator')).toContainText('Synced at');
  await expect(receipts).not.toContainText('waiting to upload');

  const listed = await server.api<ApiReceipts>('supervisor1', `/api/v1/jobs/${job.id}/receipts`);
  expect(listed.receipts.map((entry) => [entry.receipt.number, entry.receipt.sha256])).toEqual([[number, pdfHash]]);

  // The dispatcher finds it on the job and downloads the same file from the server.
  await office.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Jobs', exact: true }).click();
  await office.getByRole('button', { name: 'Sync now' }).click();
  await expect(office.getByTestId('sync-indicator')).toContainText('Synced at');
  await office.getByRole('searchbox').fill(job.accountRef);
  await office.getByRole('button', { name: named(job.customer.name) }).click();
  const onJob = office.getByRole('region', { name: 'Customer receipt' });
  await onJob.getByRole('button', { name: `Receipt ${number}` }).click();
  const officeDialog = office.getByRole('dialog', { name: 'Receipt for equipment collected' });
  await expect(officeDialog.getByTestId('receipt-sheet')).toContainText(`Customer declined to sign (Dana Customer). Reason: ${reason}.`);
  const fromServer = await downloadFrom(office, officeDialog.getByRole('button', { name: 'Save PDF' }), 'receipt-office.pdf');
  expect(createHash('sha256').update(await readFile(fromServer.path)).digest('hex')).toBe(pdfHash);
  expect(pdftotext(fromServer.path)).toContain(`Receipt number ${number}`);

  // The supervisor finds it beside the item's custody record and downloads the same file.
  const supervisor = await openApp('receipt-supervisor');
  await supervisor.setViewportSize({ width: 1400, height: 1000 });
  await signIn(supervisor, 'supervisor1');
  await supervisor.getByRole('button', { name: 'Supervise' }).click();
  await supervisor.getByLabel('Search custody records').fill(serial);
  await supervisor.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(supervisor.getByTestId('timeline-serial')).toHaveText(serial);
  const beside = supervisor.getByRole('region', { name: 'Customer receipts on this job' });
  await expect(beside).toContainText(`Customer receipt ${number}`);
  await expect(beside).toContainText(`by ${agentName}`);
  await expectNoSeriousAxeViolations(supervisor, 'supervise timeline with a customer receipt');
  const bySupervisor = await downloadFrom(supervisor, beside.getByRole('button', { name: `Download receipt ${number}` }), 'receipt-supervisor.pdf');
  expect(bySupervisor.fileName).toBe(`receipt-${number}.pdf`);
  expect(createHash('sha256').update(await readFile(bySupervisor.path)).digest('hex')).toBe(pdfHash);
});
