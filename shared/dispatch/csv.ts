/**
 * RFC 4180 CSV, both ways. Hand-written on purpose: shared/ compiles without DOM or Node
 * types, and the common libraries' typings pull in one or the other (papaparse: File and
 * streams; csv-parse: Buffer). The grammar is small and the property tests pin it down.
 */

export interface CsvRecord {
  /** The 1-based line of the file where this record starts (a quoted newline spans lines). */
  readonly line: number;
  readonly fields: readonly string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

const BOM = '\uFEFF';

/**
 * Splits CSV text into records. Accepts a byte-order mark, CRLF, LF or lone CR line ends,
 * quoted fields with commas, doubled quotes and line breaks. Blank lines are skipped because
 * spreadsheets leave them at the end of exports.
 */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.startsWith(BOM) ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let fieldWasQuoted = false;
  let i = 0;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldWasQuoted = false;
  };
  const endRecord = () => {
    endField();
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i < text.length) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      if (char === '\n' || (char === '\r' && text[i + 1] !== '\n')) line += 1;
      field += char;
      i += 1;
      continue;
    }
    if (char === '"') {
      if (field.length > 0 || fieldWasQuoted) throw new CsvSyntaxError(line, 'a quote in the middle of an unquoted field; quote the whole field and double the quote ("").');
      quoted = true;
      fieldWasQuoted = true;
      i += 1;
      continue;
    }
    if (char === ',') {
      endField();
      i += 1;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    if (fieldWasQuoted) throw new CsvSyntaxError(line, 'text after a closing quote; a quoted field must end at a comma or line end.');
    field += char;
    i += 1;
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed.');
  if (field.length > 0 || fields.length > 0 || fieldWasQuoted) endRecord();
  return records;
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes records as RFC 4180 CSV with CRLF line ends, quoting only where needed. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(quoteField).join(',')).join('\r\n') + '\r\n';
}
