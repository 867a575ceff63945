import { readFile } from 'node:fs/promises';
import { unzipSync, zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, signIn, test } from './app-under-test';

interface SearchAnswer {
  hits: { serial: string; itemId: string; jobId: string }[];
}

test('a supervisor finds a demo item by serial, exports PDF and bundle, and verifies the bundle in the app', async ({ server, openApp }) => {
  const demo = await server.api<SearchAnswer>('supervisor1', '/api/v1/custody/search?limit=5');
  const target = demo.hits[0];
  if (!target) throw new Error('the demo has custody history');

  const page = await openApp('supervisor');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await signIn(page, 'supervisor1');
  await page.getByRole('button', { name: 'Supervise' }).click();
  await page.getByLabel('Search custody records').fill(target.serial);
  await page.getByRole('button', { name: 'Search', exact: true }).click();

  await expect(page.getByTestId('timeline-serial')).toHaveText(target.serial);
  await expect(page.getByTestId('verdict')).toContainText('Intact');
  expect(await page.locator('.supervise-event').count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole('img', { name: 'Signature' }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('timeline.png'), fullPage: true });

  await page.getByRole('button', { name: 'Signature' }).first().click();
  await expect(page.getByRole('dialog', { name: 'Signature' })).toBeVisible();
  await page.getByRole('dialog', { name: 'Signature' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PDF' }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const pdfPath = test.info().outputPath('record.pdf');
  await pdf.saveAs(pdfPath);
  expect((await readFile(pdfPath)).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByRole('status').filter({ hasText: /Saved .*\.pdf/ })).toBeVisible();

  const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Export bundle/ }).click()]);
  const bundlePath = test.info().outputPath('record.zip');
  await bundle.saveAs(bundlePath);

  await page.getByRole('button', { name: 'Verify a bundle' }).click();
  await page.getByLabel('Bundle or report to verify').setInputFiles(bundlePath);
  await expect(page.getByTestId('verdict')).toContainText('Intact');
  await page.screenshot({ path: test.info().outputPath('verify-intact.png'), fullPage: true });

  // One changed byte in a signature file: the app names the file and the hash the manifest signed.
  const files = unzipSync(new Uint8Array(await readFile(bundlePath)));
  const signature = Object.keys(files).find((name) => name.startsWith('evidence/'));
  const bytes = signature ? files[signature] : undefined;
  if (!signature || !bytes) throw new Error('the bundle carries the signatures');
  bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
  await page.getByLabel('Bundle or report to verify').setInputFiles({ name: 'tampered.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(files)) });
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-status', 'tampered');
  await expect(page.getByTestId('verdict')).toContainText(`Tampered — ${signature} hashes to`);
  await expect(page.getByLabel('Where')).toContainText(signature);
  await page.screenshot({ path: test.info().outputPath('verify-broken.png'), fullPage: true });

  await page.getByRole('button', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('recovered-total')).not.toHaveText('0');
  await expect(page.getByRole('img', { name: 'Items recovered per agent' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('dashboard.png'), fullPage: true });
});

test('agents and dispatchers have no Supervise view', async ({ openApp }) => {
  const page = await openApp('dispatcher');
  await signIn(page, 'dispatcher1');
  await expect(page.getByRole('button', { name: 'Dispatch' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Supervise' })).toHaveCount(0);
});
