import path from 'node:path';
import { createDatabase } from '../../server/store/database';
import { treeHash } from '../../shared/trust/merkle-log';
import { expect, signIn, test } from './app-under-test';

interface SearchAnswer {
  hits: { serial: string; itemId: string; jobId: string }[];
}

function grouped(fingerprint: string): string {
  return (fingerprint.match(/.{4}/g) ?? []).join('');
}

/**
 * Issue 13, points 1 and 6: the admin reads the organisation's fingerprint in Admin; a supervisor
 * exports a bundle and the app verifies it pinned to that same fingerprint, and refuses it as
 * another organisation's when a different fingerprint is typed in. After the admin rotates the
 * key, the bundle signed before still verifies against the old fingerprint.
 */
test('the admin sees the organisation fingerprint and a supervisor verifies a bundle pinned to it', async ({ server, openApp }) => {
  const published = await fetch(`${server.url}/api/v1/org/signing-key`).then((response) => response.json() as Promise<{ fingerprint: string; algorithm: string }>);
  expect(published.fingerprint).toMatch(/^[0-9a-f]{64}$/);

  const admin = await openApp('admin');
  await admin.setViewportSize({ width: 1300, height: 900 });
  await signIn(admin, 'admin');
  await admin.getByRole('button', { name: 'Admin' }).click();
  const keySection = admin.getByRole('region', { name: 'Organisation signing key' });
  const shown = keySection.getByLabel('Organisation key fingerprint');
  await expect(shown).toHaveAttribute('data-fingerprint', published.fingerprint);
  // Grouped in fours for reading aloud; the same 64 digits.
  expect(grouped((await shown.innerText()).replace(/\s/g, ''))).toBe(published.fingerprint);
  await expect(keySection).toContainText('Ed25519');
  await admin.screenshot({ path: '/tmp/reclaim-admin-org-key.png' });

  const demo = await server.api<SearchAnswer>('supervisor1', '/api/v1/custody/search?limit=5');
  const target = demo.hits[0];
  if (!target) throw new Error('the demo has custody history');
  const supervisor = await openApp('supervisor');
  await supervisor.setViewportSize({ width: 1300, height: 1000 });
  await signIn(supervisor, 'supervisor1');
  await supervisor.getByRole('button', { name: 'Supervise' }).click();
  await supervisor.getByLabel('Search custody records').fill(target.serial);
  await supervisor.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(supervisor.getByTestId('timeline-serial')).toHaveText(target.serial);
  const [download] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByRole('button', { name: /Export bundle/ }).click()]);
  const bundlePath = test.info().outputPath('record.zip');
  await download.saveAs(bundlePath);

  await supervisor.getByRole('button', { name: 'Verify a bundle' }).click();
  await expect(supervisor.getByLabel('Pinned organisation fingerprint')).toHaveAttribute('data-fingerprint', published.fingerprint);
  await supervisor.getByLabel('Bundle or report to verify').setInputFiles(bundlePath);
  const verdict = supervisor.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-status', 'intact');
  await expect(verdict).toContainText('Intact');
  await expect(supervisor.getByLabel('Bundle organisation fingerprint')).toHaveAttribute('data-fingerprint', published.fingerprint);
  await expect(supervisor.getByRole('table', { name: 'Who signed each event' }).getByRole('row')).not.toHaveCount(1);
  await supervisor.screenshot({ path: '/tmp/reclaim-verify-intact.png', fullPage: true });

  // Someone else's fingerprint, pasted the way it is printed: the bundle is not theirs.
  await supervisor.getByRole('radio', { name: 'Another organisation' }).check();
  const stranger = 'ab12'.repeat(16);
  await supervisor.getByLabel(/Its fingerprint/).fill((stranger.match(/.{4}/g) ?? []).join(' ').toUpperCase());
  await supervisor.getByRole('button', { name: /Verify .* again with this key/ }).click();
  await expect(verdict).toHaveAttribute('data-status', 'tampered');
  await expect(verdict).toContainText('Not from the organisation you pinned');
  await expect(supervisor.getByLabel('Where')).toContainText(stranger);
  await supervisor.screenshot({ path: '/tmp/reclaim-verify-foreign.png', fullPage: true });

  // The signed PDF report of the same record verifies in the app against the same fingerprint.
  await supervisor.getByRole('radio', { name: /This organisation/ }).check();
  await supervisor.getByRole('button', { name: 'Find a record' }).click();
  const [pdfDownload] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByRole('button', { name: 'Export PDF' }).click()]);
  const reportPath = test.info().outputPath('record.pdf');
  await pdfDownload.saveAs(reportPath);
  await supervisor.getByRole('button', { name: 'Verify a bundle' }).click();
  await supervisor.getByLabel('Bundle or report to verify').setInputFiles(reportPath);
  await expect(verdict).toHaveAttribute('data-status', 'intact');
  await expect(supervisor.getByLabel('Bundle organisation fingerprint')).toHaveAttribute('data-fingerprint', published.fingerprint);
  await expect(supervisor.getByTestId('verdict-checks')).toContainText('PAdES');
  await supervisor.screenshot({ path: '/tmp/reclaim-verify-pdf.png', fullPage: true });

  // The admin rotates the key; the bundle signed before still verifies against the old fingerprint.
  await keySection.getByRole('button', { name: 'Rotate key…' }).click();
  const confirm = admin.getByRole('alertdialog', { name: 'Rotate the organisation signing key?' });
  await expect(confirm).toContainText('Records, bundles and reports signed before the rotation still verify.');
  await expect(confirm).toContainText('pinned the old fingerprint can follow the chain');
  await admin.screenshot({ path: '/tmp/reclaim-admin-rotate-confirm.png' });
  await confirm.getByRole('button', { name: 'Rotate the key' }).click();
  await expect(keySection.getByRole('status')).toContainText('Rotated.');
  await expect(shown).not.toHaveAttribute('data-fingerprint', published.fingerprint);
  await expect(keySection.getByRole('table', { name: 'Earlier organisation keys' }).getByLabel(/Earlier key/)).toHaveAttribute('data-fingerprint', published.fingerprint);
  await admin.screenshot({ path: '/tmp/reclaim-admin-rotated.png' });

  await supervisor.getByRole('radio', { name: 'This organisation' }).check();
  await supervisor.getByRole('button', { name: /Verify .* again with this key/ }).click();
  await expect(verdict).toHaveAttribute('data-status', 'intact');
});

/**
 * Issue 13, point 3, as the agent sees it: the laptop held a checkpoint of the custody log; the
 * server's stored log is changed underneath; at the next sync the app warns on every screen.
 */
test("an agent's laptop warns when the server's custody log was rewritten", async ({ server, openApp }) => {
  const page = await openApp('agent');
  await page.setViewportSize({ width: 1300, height: 800 });
  await signIn(page, 'agent1');
  await expect(page.getByTestId('sync-indicator')).toContainText('Synced at');

  const store = await createDatabase({ kind: 'sqlite', file: path.join(server.dataDir, 'reclaim.sqlite') });
  try {
    const size = Number((await store.db.selectFrom('custody_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const read: number[] = [];
    await treeHash(size, {
      async readHashes(indexes) {
        read.push(...indexes);
        return indexes.map(() => new Uint8Array(32));
      },
    });
    const target = read[0] ?? 0;
    const row = await store.db.selectFrom('custody_log_hashes').select('hash').where('hash_index', '=', target).executeTakeFirstOrThrow();
    const forged = `${row.hash.slice(0, 62)}${row.hash.endsWith('00') ? '11' : '00'}`;
    await store.db.updateTable('custody_log_hashes').set({ hash: forged }).where('hash_index', '=', target).execute();
  } finally {
    await store.close();
  }

  await page.getByRole('button', { name: 'Sync now' }).click();
  const alarm = page.getByRole('alert', { name: 'Custody log warning' });
  await expect(alarm).toContainText("The server's custody log no longer contains what it showed this laptop on");
  await expect(alarm).toContainText('its history was rewritten. Do not record custody until your office has checked — tell your supervisor.');
  await alarm.getByRole('button', { name: 'Details for the office' }).click();
  await expect(alarm).toContainText('same number of records');
  await page.screenshot({ path: '/tmp/reclaim-custody-log-alarm.png' });

  // It stays after a reload, before any new round: it is stored on the laptop, not in memory.
  await page.reload();
  await expect(page.getByRole('alert', { name: 'Custody log warning' })).toBeVisible();
});
