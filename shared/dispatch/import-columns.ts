/**
 * The import file's layout: one row per expected item, grouped into one job by client + account
 * reference. Account columns (customer, address, dates) may be repeated on every row of an
 * account or left blank after its first row; when repeated they must agree. This is how
 * lessors' systems export order lines, and it keeps any number of items per account without
 * item1_…/item2_… column families.
 */
export const importColumns = [
  'client',
  'account_ref',
  'customer_name',
  'phones',
  'email',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'lat',
  'lon',
  'time_zone',
  'due_date',
  'priority',
  'appointment_start',
  'appointment_end',
  'instructions',
  'item_type',
  'item_make',
  'item_model',
  'item_serial',
  'item_asset_tag',
] as const;
export type ImportColumn = (typeof importColumns)[number];

/** Columns that describe the account, not the item on this row. */
export const accountColumns: readonly ImportColumn[] = importColumns.filter(
  (column) => !column.startsWith('item_') && column !== 'client' && column !== 'account_ref',
);

export const requiredColumns: readonly ImportColumn[] = [
  'client',
  'account_ref',
  'customer_name',
  'address_line1',
  'city',
  'country',
  'time_zone',
  'item_type',
  'item_serial',
];

/** One row as text, every column present (missing columns read as empty). */
export type ImportRow = Readonly<Record<ImportColumn, string>>;

export function emptyRow(): Record<ImportColumn, string> {
  return Object.fromEntries(importColumns.map((column) => [column, ''])) as Record<ImportColumn, string>;
}

/** Header names are matched loosely: "Account Ref", "account-ref" and "ACCOUNT_REF" are one column. */
export function columnForHeader(header: string): ImportColumn | null {
  const key = header.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const aliases: Record<string, ImportColumn> = {
    account: 'account_ref',
    account_reference: 'account_ref',
    customer: 'customer_name',
    phone: 'phones',
    address: 'address_line1',
    state: 'region',
    zip: 'postal_code',
    latitude: 'lat',
    longitude: 'lon',
    timezone: 'time_zone',
    serial: 'item_serial',
    asset_tag: 'item_asset_tag',
  };
  if ((importColumns as readonly string[]).includes(key)) return key as ImportColumn;
  return aliases[key] ?? null;
}
