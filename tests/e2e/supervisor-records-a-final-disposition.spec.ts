import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import type { Page } from '@playwright/test';
import { readBundleZipFile } from '../../scripts/bundle-zip-reader';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { dataBearingTypes } from '../../shared/supervise/disposition';
import { pdfText } from '../fixtures/pdf-text';
import { expect, signIn, test, type ServerUnderTest } from './app-under-test';

interface SearchAnswer {
  hits: { serial: string; itemId: string; jobId: string; itemType: string | null; lastEventKind: string }[];
}

/** What another supervisor does at the same moment, through the API. */
async function disposeThroughTheApi(server: ServerUnderTest, itemId: string): Promise<void> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo1234' }) });
  const { token } = (await login.json()) as { token: string };
  const answer = await fetch(`${server.url}/api/v1/custody/items/${itemId}/disposition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ disposition: 'returned_to_client', toName: 'Client returns dock' }),
  });
  expect(answer.status).toBe(201);
}

async function openItem(page: Page, serial: string): Promise<void> {
  await page.getByLabel('Search custody records').fill(serial);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('timeline-serial')).toHaveText(serial);
}

test('a supervisor records a destruction with its certificate of sanitization; the PDF carries it and the bundle still verifies', async ({ server, openApp }) => {
  const demo = await server.api<SearchAnswer>('supervisor1', '/api/v1/custody/search?limit=200');
  const open = demo.hits.filter((hit) => hit.lastEventKind !== 'disposed');
  const laptopLike = open.find((hit) => hit.itemType !== null && (dataBearingTypes as readonly string[]).includes(hit.itemType));
  const other = open.find((hit) => hit.jobId !== laptopLike?.jobId);
  if (!laptopLike || !other) throw new Error('the demo has recovered data-bearing devices and other items');

  const page = await openApp('supervisor');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, 'supervisor1');
  await page.getByRole('button', { name: 'Supervise' }).click();
  await openItem(page, laptopLike.serial);
  const eventsBefore = await page.locator('.supervise-event').count();

  await page.getByRole('button', { name: 'Record final disposition…' }).click();
  const form = page.getByRole('form', { name: 'Final disposition' });
  await form.getByRole('combobox', { name: 'Disposition', exact: true }).selectOption('destroyed');
  await expect(form.getByText('may hold data: a certificate of sanitization is required')).toBeVisible();

  // Sent empty, the form names each missing field in words and records nothing.
  await form.getByRole('button', { name: 'Record final disposition' }).click();
  const problems = form.getByRole('alert');
  await expect(problems).toContainText('Nothing was recorded');
  await expect(problems).toContainText('Received by is required.');
  await expect(problems).toContainText('Media type is required.');
  await expect(problems).toContainText('Sanitized by (name) is required.');
  await expect(form.getByLabel('Media type')).toHaveAttribute('aria-invalid', 'true');

  await form.screenshot({ path: test.info().outputPath('disposition-form-errors.png') });

  await form.getByLabel('Received by').fill('Metro E-Waste Recycling');
  await expect(problems).not.toContainText('Received by is required.');
  await expect(problems).toContainText('Media type is required.');
  await form.getByLabel('Media type').fill('NVMe SSD');
  await form.getByLabel('Media make').fill('Samsung');
  await form.getByLabel('Media model').fill('PM9A1');
  await form.getByLabel('Media serial number').fill('S4EVNX0N123456');
  await form.getByLabel('Method (clear, purge or destroy)').selectOption('destroy');
  await form.getByLabel('Technique').fill('Shred');
  await form.getByLabel('Tool used, with its version').fill('SEM Model 0300 shredder, firmware 2.4');
  await form.getByLabel('Verification method').selectOption('full');
  await form.getByLabel('Destination of the media').fill('Metro E-Waste smelter');
  await form.getByLabel('Sanitized by (name)').fill('Ana Ruiz');
  await form.getByLabel('Their title').fill('Warehouse technician');
  await form.getByLabel('Validator’s role').fill('Supervisor');
  await expect(form.getByLabel('Validated by (name)')).toHaveValue('Priya Raman');
  await expect(problems).toHaveCount(0);
  await form.screenshot({ path: test.info().outputPath('disposition-form.png') });

  await form.getByRole('button', { name: 'Record final disposition' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded: destroyed' })).toBeVisible();
  await expect(page.locator('.supervise-event')).toHaveCount(eventsBefore + 1);
  const last = page.locator('.supervise-event').last();
  await expect(last).toContainText('Final disposition: destroyed');
  await expect(last.getByLabel('Certificate of sanitization')).toContainText('destroy by Shred with SEM Model 0300 shredder, firmware 2.4');
  await expect(last.getByLabel('Certificate of sanitization')).toContainText('NVMe SSD · Samsung · PM9A1 · serial S4EVNX0N123456');
  await expect(page.getByTestId('verdict')).toContainText('Intact');
  await expect(page.getByRole('button', { name: 'Record final disposition…' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('disposition-recorded.png'), fullPage: true });

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
  const pdfPath = test.info().outputPath('record.pdf');
  await pdf.saveAs(pdfPath);
  const { text } = await pdfText(new Uint8Array(await readFile(pdfPath)));
  expect(text).toContain('Certificate of sanitization (NIST SP 800-88 Rev. 1, Appendix G)');
  expect(text).toContain('SEM Model 0300 shredder, firmware 2.4');
  expect(text).toContain('Samsung PM9A1');
  expect(text).toContain('Checked by the server at export: intact');

  const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export bundle/ }).click()]);
  const bundlePath = test.info().outputPath('record.zip');
  await bundle.saveAs(bundlePath);
  const { fingerprint } = (await fetch(`${server.url}/api/v1/org/signing-key`).then((response) => response.json())) as { fingerprint: string };
  expect(await verifyCustodyBundle(webcrypto.subtle, await readBundleZipFile(bundlePath), { fingerprint })).toMatchObject({ status: 'intact' });
  await page.getByRole('button', { name: 'Verify a bundle' }).click();
  await page.getByLabel('Bundle or report to verify').setInputFiles(bundlePath);
  await expect(page.getByTestId('verdict')).toContainText('Intact');

  // Another supervisor disposes of an item while this form is open: the second is refused in words.
  await page.getByRole('button', { name: 'Find a record' }).click();
  await openItem(page, other.serial);
  await page.getByRole('button', { name: 'Record final disposition…' }).click();
  await form.getByRole('combobox', { name: 'Disposition', exact: true }).selectOption('returned_to_client');
  await form.getByLabel('Received by').fill('Client returns dock');
  await disposeThroughTheApi(server, other.itemId);
  await form.getByRole('button', { name: 'Record final disposition' }).click();
  await expect(form.getByRole('alert')).toContainText('This item already has its final disposition');
});
