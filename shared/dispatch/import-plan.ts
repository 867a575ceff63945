import { z } from 'zod';
import { accountColumns, columnForHeader, emptyRow, importColumns, requiredColumns, type ImportColumn, type ImportRow } from './import-columns';
import { checkAccountFields, checkItemFields, type AccountFields, type ItemFields } from './account-row';
import { CsvSyntaxError, parseCsv } from './csv';

export const MAX_IMPORT_ROWS = 20_000;

/** One CSV row's verdict, in words. `row` is the line number a spreadsheet shows. */
export const ImportRowReport = z.object({
  row: z.number().int().positive(),
  client: z.string(),
  accountRef: z.string(),
  serial: z.string(),
  outcome: z.enum(['ok', 'error']),
  problems: z.array(z.string()),
  /** Not errors: e.g. "needs a pin" when the row has no coordinates and none could be found. */
  notes: z.array(z.string()),
});
export type ImportRowReport = z.infer<typeof ImportRowReport>;

/** A job to create or update: every row of one client + account reference, all good. */
export interface ImportAccount {
  readonly clientName: string;
  readonly accountRef: string;
  readonly fields: AccountFields;
  readonly items: readonly ItemFields[];
  /** Indexes into the plan's rows, so later steps (geocoding, saving) can add notes. */
  readonly rowIndexes: readonly number[];
}

export interface ImportPlan {
  /** Problems with the file as a whole (not CSV, no header, missing columns); nothing imports. */
  readonly fileProblems: readonly string[];
  readonly rows: ImportRowReport[];
  readonly accounts: readonly ImportAccount[];
}

/** Client names are matched without regard to case or spacing, as people type them. */
export function clientKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function accountKey(client: string, accountRef: string): string {
  return `${clientKey(client)}\u0000${accountRef.trim()}`;
}

function readHeader(fields: readonly string[]): { columns: (ImportColumn | null)[]; problems: string[] } {
  const columns = fields.map(columnForHeader);
  const problems: string[] = [];
  const missing = requiredColumns.filter((column) => !columns.includes(column));
  if (missing.length > 0) problems.push(`The header is missing these columns: ${missing.join(', ')}.`);
  const unknown = fields.filter((_, index) => columns[index] === null && fields[index]?.trim() !== '');
  if (unknown.length > 0) problems.push(`Unknown columns: ${unknown.join(', ')} (expected: ${importColumns.join(', ')}).`);
  return { columns, problems };
}

function toRow(columns: readonly (ImportColumn | null)[], fields: readonly string[]): ImportRow {
  const row = emptyRow();
  columns.forEach((column, index) => {
    if (column !== null) row[column] = fields[index] ?? '';
  });
  return row;
}

interface Group {
  readonly client: string;
  readonly accountRef: string;
  readonly first: ImportRow;
  readonly firstRow: number;
  readonly rowIndexes: number[];
  fields: AccountFields | null;
  readonly items: ItemFields[];
  bad: boolean;
}

/**
 * Reads an import file and decides, row by row, what would happen. Pure: the server runs it for
 * the API and the app runs it for the form, so both say the same words.
 *
 * An account imports only when all its rows are good: importing a job with one of its items
 * silently dropped would send an agent to the door with the wrong list.
 */
export function planImport(text: string): ImportPlan {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { fileProblems: [`The file is not valid CSV: ${error.message}`], rows: [], accounts: [] };
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { fileProblems: ['The file is empty.'], rows: [], accounts: [] };
  const { columns, problems } = readHeader(header.fields);
  if (problems.length > 0) return { fileProblems: problems, rows: [], accounts: [] };
  if (body.length > MAX_IMPORT_ROWS) return { fileProblems: [`The file has ${body.length} rows; import at most ${MAX_IMPORT_ROWS} at a time.`], rows: [], accounts: [] };
  return planRows(body.map((record) => ({ line: record.line, row: toRow(columns, record.fields), width: record.fields.length })), header.fields.length);
}

/** The same decisions for rows that did not come from a file (the job form). */
export function planRows(input: readonly { line: number; row: ImportRow; width?: number }[], headerWidth?: number): ImportPlan {
  const rows: ImportRowReport[] = [];
  const groups = new Map<string, Group>();
  const serials = new Map<string, number>();

  input.forEach(({ line, row, width }, index) => {
    const problems: string[] = [];
    if (headerWidth !== undefined && width !== undefined && width !== headerWidth) {
      problems.push(`has ${width} fields where the header has ${headerWidth}`);
    }
    const client = row.client.trim();
    const accountRef = row.account_ref.trim();
    if (client === '') problems.push('missing client');
    if (accountRef === '') problems.push('missing account reference');
    const key = accountKey(client, accountRef);
    let group = groups.get(key);
    if (!group && client !== '' && accountRef !== '') {
      group = { client, accountRef, first: row, firstRow: line, rowIndexes: [], fields: null, items: [], bad: false };
      groups.set(key, group);
      const account = checkAccountFields(row);
      if (account.ok) group.fields = account.value;
      else problems.push(...account.problems);
    } else if (group) {
      const differing = accountColumns.filter((column) => row[column].trim() !== '' && row[column].trim() !== group?.first[column].trim());
      if (differing.length > 0) problems.push(`${differing.join(', ')} differ from row ${group.firstRow} of the same account`);
    }
    const item = checkItemFields(row);
    if (item.ok) {
      const serialKey = item.value.serial.toUpperCase();
      const seen = serials.get(serialKey);
      if (seen !== undefined) problems.push(`duplicate serial ${item.value.serial} (also on row ${seen})`);
      else serials.set(serialKey, line);
      group?.items.push(item.value);
    } else problems.push(...item.problems);

    if (group) {
      group.rowIndexes.push(index);
      if (problems.length > 0) group.bad = true;
    }
    rows.push({ row: line, client, accountRef, serial: row.item_serial.trim(), outcome: problems.length > 0 ? 'error' : 'ok', problems, notes: [] });
  });

  const accounts: ImportAccount[] = [];
  for (const group of groups.values()) {
    if (group.items.length > 50) {
      group.bad = true;
      const last = rows[group.rowIndexes.at(-1) ?? -1];
      last?.problems.push(`the account has ${group.items.length} items; a job holds at most 50`);
      if (last) last.outcome = 'error';
    }
    if (group.bad || group.fields === null) {
      const badRows = group.rowIndexes.map((index) => rows[index]).filter((row) => row?.outcome === 'error').map((row) => row?.row);
      for (const index of group.rowIndexes) {
        const report = rows[index];
        if (report && report.outcome === 'ok') {
          report.outcome = 'error';
          report.problems.push(`not imported because row ${badRows.join(', ')} of the same account has a problem`);
        }
      }
      continue;
    }
    accounts.push({ clientName: group.client, accountRef: group.accountRef, fields: group.fields, items: group.items, rowIndexes: group.rowIndexes });
  }
  return { fileProblems: [], rows, accounts };
}
