import { formatCsv, parseCsv } from '../../../shared/dispatch/csv';
import { spreadsheetSafeCell } from '../../../shared/export/spreadsheet-safe';
import type { ImportCounts, ImportReport } from '../../../shared/dispatch/dispatch-api';
import { planImport } from '../../../shared/dispatch/import-plan';
import type { DispatchClient } from './dispatch-client';

const ROWS_PER_REQUEST = 500;

/**
 * Imports the accounts the preview found good, a few hundred rows per request, so the
 * dispatcher sees progress on a 5,000-row file. Chunks split only between accounts (an account's
 * rows stay together), and only good accounts are sent, so the import does what the preview said.
 */
export async function importInChunks(client: DispatchClient, text: string, onProgress: (done: number, total: number) => void): Promise<ImportCounts> {
  const records = parseCsv(text);
  const [header, ...body] = records;
  const plan = planImport(text);
  if (!header || plan.fileProblems.length > 0) throw new Error(plan.fileProblems.join(' ') || 'The file is empty.');
  const total = plan.accounts.reduce((sum, account) => sum + account.rowIndexes.length, 0);
  const sum: ImportCounts = { rows: 0, goodRows: 0, badRows: 0, accounts: 0, created: 0, updated: 0, unchanged: 0, needsPin: 0 };
  let chunk: (readonly string[])[] = [];
  let done = 0;
  const send = async () => {
    if (chunk.length === 0) return;
    const report = await client.importCsv(formatCsv([header.fields, ...chunk]), false);
    for (const key of Object.keys(sum) as (keyof ImportCounts)[]) sum[key] += report.counts[key];
    done += chunk.length;
    chunk = [];
    onProgress(done, total);
  };
  onProgress(0, total);
  for (const account of plan.accounts) {
    for (const index of account.rowIndexes) {
      const record = body[index];
      if (record) chunk.push(record.fields);
    }
    if (chunk.length >= ROWS_PER_REQUEST) await send();
  }
  await send();
  return sum;
}

/** The preview's report as CSV, for the lessor or whoever fixes the file. */
export function reportCsv(report: ImportReport): string {
  return formatCsv([
    ['row', 'client', 'account_ref', 'serial', 'outcome', 'problems', 'notes'],
    ...report.rows.map((row) => [String(row.row), row.client, row.accountRef, row.serial, row.outcome, row.problems.join('; '), row.notes.join('; ')].map(spreadsheetSafeCell)),
  ]);
}
