import { describe, expect, it } from 'vitest';
import { planImport } from '../../shared/dispatch/import-plan';
import { accountRow, accountsCsv, generatedAccountsCsv } from '../fixtures/dispatch/accounts-csv';

function problemsOf(csv: string): string[][] {
  return planImport(csv).rows.map((row) => row.problems);
}

describe('the import plan', () => {
  it('turns good rows into one job per client + account, items grouped', () => {
    const csv = accountsCsv([accountRow(1), accountRow(1, { item_serial: 'SN-B', item_type: 'Set-Top Box', customer_name: '' }), accountRow(2)]);
    const plan = planImport(csv);
    expect(plan.fileProblems).toEqual([]);
    expect(plan.rows.every((row) => row.outcome === 'ok')).toBe(true);
    expect(plan.accounts).toHaveLength(2);
    expect(plan.accounts[0]?.items.map((item) => item.type)).toEqual(['modem', 'set_top_box']);
    expect(plan.accounts[0]?.fields.customer.phones).toEqual(['+1 312 555 0100', '+1 312 555 0101']);
  });

  it('reports every kind of bad row in words, by spreadsheet row number', () => {
    const rows = [
      accountRow(1, { address_line1: '' }),
      accountRow(2, { due_date: '2026-02-30' }),
      accountRow(3, { item_serial: 'SN00000004' }),
      accountRow(4),
      accountRow(5, { time_zone: 'Mars/Olympus' }),
      accountRow(6, { priority: 'asap' }),
      accountRow(7, { item_type: 'toaster' }),
      accountRow(8, { lat: '91', lon: '-87' }),
      accountRow(9, { lat: '41.9', lon: '' }),
      accountRow(10, { appointment_start: '2026-12-01 12:00', appointment_end: '2026-12-01 09:00' }),
      accountRow(11, { email: 'not-an-email' }),
      accountRow(12, { country: 'USA' }),
      accountRow(13, { client: '' }),
    ];
    const report = problemsOf(accountsCsv(rows));
    expect(report[0]).toContain('missing address (address_line1)');
    expect(report[1]).toContain('bad due date "2026-02-30" (use YYYY-MM-DD)');
    expect(report[2]).toEqual([]);
    expect(report[3]).toContain('duplicate serial SN00000004 (also on row 4)');
    expect(report[4]?.[0]).toMatch(/^unknown time zone "Mars\/Olympus"/);
    expect(report[5]?.[0]).toMatch(/^unknown priority "asap"/);
    expect(report[6]?.[0]).toMatch(/^unknown equipment type "toaster"/);
    expect(report[7]?.[0]).toMatch(/^latitude "91" is not a number between -90 and 90/);
    expect(report[8]).toContain('latitude and longitude must be given together');
    expect(report[9]).toContain('the appointment must end after it starts');
    expect(report[10]).toContain('email "not-an-email" is not an email address');
    expect(report[11]?.[0]).toMatch(/country "USA" is not a two-letter code/);
    expect(report[12]).toContain('missing client');
    const plan = planImport(accountsCsv(rows));
    expect(plan.rows.map((row) => row.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(plan.accounts.map((account) => account.accountRef)).toEqual(['LC-000003']);
  });

  it('keeps a whole account out when one of its item rows is bad', () => {
    const plan = planImport(accountsCsv([accountRow(1), accountRow(1, { item_serial: '' })]));
    expect(plan.accounts).toEqual([]);
    expect(plan.rows[0]?.problems).toEqual(['not imported because row 3 of the same account has a problem']);
  });

  it('refuses account columns that contradict the first row of the account', () => {
    const plan = planImport(accountsCsv([accountRow(1), accountRow(1, { item_serial: 'X1', city: 'Evanston' })]));
    expect(plan.rows[1]?.problems).toEqual(['city differ from row 2 of the same account']);
  });

  it('turns local appointment times into instants in the job time zone', () => {
    const plan = planImport(accountsCsv([accountRow(1, { appointment_start: '2026-12-01 09:00', appointment_end: '2026-07-01T12:00' })]));
    expect(plan.rows[0]?.problems).toEqual(['the appointment must end after it starts']);
    const ok = planImport(accountsCsv([accountRow(1, { appointment_start: '2026-12-01 09:00', appointment_end: '2026-12-01 12:30' })]));
    expect(ok.accounts[0]?.fields.appointment).toEqual({ start: '2026-12-01T09:00:00-06:00', end: '2026-12-01T12:30:00-06:00' });
  });

  it('reads a file with a byte-order mark, LF line ends and loosely written headers', () => {
    const csv = accountsCsv([accountRow(1, { address_line1: '12, "The Yard" N Clark St' })], '\n')
      .replace('account_ref', 'Account Reference')
      .replace('time_zone', 'Timezone');
    const plan = planImport(`\uFEFF${csv}`);
    expect(plan.fileProblems).toEqual([]);
    expect(plan.accounts[0]?.fields.address.line1).toBe('12, "The Yard" N Clark St');
  });

  it('says what is wrong with the file itself', () => {
    expect(planImport('').fileProblems).toEqual(['The file is empty.']);
    expect(planImport('client,foo\nA,B').fileProblems[0]).toMatch(/missing these columns: account_ref, customer_name/);
    expect(planImport('client,account_ref\n"x').fileProblems[0]).toMatch(/not valid CSV/);
  });

  it('plans a 5,000-row file', () => {
    const { csv, rows } = generatedAccountsCsv(3750);
    expect(rows).toBe(5000);
    const plan = planImport(csv);
    expect(plan.rows).toHaveLength(5000);
    expect(plan.rows.every((row) => row.outcome === 'ok')).toBe(true);
    expect(plan.accounts).toHaveLength(3750);
  });
});
