import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, formatCsv, parseCsv } from '../../shared/dispatch/csv';

describe('the import CSV parser (RFC 4180)', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes', () => {
    const records = parseCsv('a,b,c\r\n"1, N State St","say ""hi""","two\r\nlines"\r\nx,y,z\r\n');
    expect(records.map((record) => record.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1, N State St', 'say "hi"', 'two\r\nlines'],
      ['x', 'y', 'z'],
    ]);
    expect(records.map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('drops a byte-order mark and accepts LF, CRLF and lone CR line ends', () => {
    expect(parseCsv('\uFEFFa,b\nc,d').map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a,b\rc,d\r').map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(parseCsv('a,,c\n\n,,\n').map((r) => r.fields)).toEqual([['a', '', 'c'], ['', '', '']]);
  });

  it('says which line is broken when a quote is never closed or stray', () => {
    expect(() => parseCsv('a\n"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"open')).toThrow(/Line 2/);
    expect(() => parseCsv('ab"c,d')).toThrow(/quote in the middle/);
  });

  it('reads back whatever it writes', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'é', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const parsed = parseCsv(formatCsv(rows)).map((record) => record.fields);
        const expected = rows.filter((row) => !(row.length === 1 && row[0] === ''));
        expect(parsed).toEqual(expected);
      }),
    );
  });
});
