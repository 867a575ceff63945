import type { Address, AppointmentWindow, Customer, ExpectedItem, ItemType, Priority } from '../domain/job';
import { itemTypes, priorities } from '../domain/job';
import { isCalendarDate, isKnownTimeZone as zoneIsKnown, localTimeToIso } from '../domain/time-zone';
import type { ImportRow } from './import-columns';

/** What an account's columns say, checked; the job's office fields without ids. */
export interface AccountFields {
  readonly customer: Customer;
  readonly address: Address;
  readonly timeZone: string;
  readonly dueDate: string | null;
  readonly priority: Priority;
  readonly appointment: AppointmentWindow | null;
  readonly instructions: string | null;
}

export type ItemFields = Omit<ExpectedItem, 'id'>;

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

// A 5,000-row file names a handful of zones; asking ICU once per zone, not per row, halves planning time.
const knownZones = new Map<string, boolean>();
function isKnownTimeZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    known = zoneIsKnown(zone);
    knownZones.set(zone, known);
  }
  return known;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

function checkLength(problems: string[], label: string, text: string, max: number): void {
  if (text.length > max) problems.push(`${label} is longer than ${max} characters`);
}

function parseCoordinate(text: string, label: string, limit: number, problems: string[]): number | null {
  if (text.trim() === '') return null;
  const value = Number(text.trim());
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    problems.push(`${label} "${text}" is not a number between -${limit} and ${limit}`);
    return null;
  }
  return value;
}

/** The account columns of a row, in words a dispatcher can fix the file from. */
export function checkAccountFields(row: ImportRow): Checked<AccountFields> {
  const problems: string[] = [];
  const name = row.customer_name.trim();
  if (name === '') problems.push('missing customer name');
  checkLength(problems, 'customer name', name, 200);
  const phones = row.phones.split(/[;|]/).map((phone) => phone.trim()).filter((phone) => phone !== '');
  if (phones.length > 5) problems.push('more than 5 phone numbers');
  for (const phone of phones) if (!/^[+()\d\s.\-x]{3,40}$/i.test(phone)) problems.push(`phone "${phone}" is not a phone number`);
  const email = orNull(row.email);
  if (email !== null && !emailPattern.test(email)) problems.push(`email "${email}" is not an email address`);

  const line1 = row.address_line1.trim();
  const city = row.city.trim();
  if (line1 === '') problems.push('missing address (address_line1)');
  if (city === '') problems.push('missing city');
  checkLength(problems, 'address line 1', line1, 200);
  const country = row.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) problems.push(country === '' ? 'missing country' : `country "${row.country}" is not a two-letter code such as US`);
  const lat = parseCoordinate(row.lat, 'latitude', 90, problems);
  const lon = parseCoordinate(row.lon, 'longitude', 180, problems);
  if ((row.lat.trim() === '') !== (row.lon.trim() === '')) problems.push('latitude and longitude must be given together');

  const timeZone = row.time_zone.trim();
  if (timeZone === '') problems.push('missing time zone');
  else if (!isKnownTimeZone(timeZone)) problems.push(`unknown time zone "${timeZone}" (use an IANA name such as America/Chicago)`);

  const due = row.due_date.trim();
  if (due !== '' && !isCalendarDate(due)) problems.push(`bad due date "${due}" (use YYYY-MM-DD)`);

  const priorityText = row.priority.trim().toLowerCase() || 'normal';
  const priority = (priorities as readonly string[]).includes(priorityText) ? (priorityText as Priority) : null;
  if (priority === null) problems.push(`unknown priority "${row.priority}" (one of ${priorities.join(', ')})`);

  let appointment: AppointmentWindow | null = null;
  const start = row.appointment_start.trim();
  const end = row.appointment_end.trim();
  if ((start === '') !== (end === '')) problems.push('an appointment needs both a start and an end');
  else if (start !== '' && isKnownTimeZone(timeZone)) {
    const startIso = localTimeToIso(start, timeZone);
    const endIso = localTimeToIso(end, timeZone);
    if (startIso === null) problems.push(`bad appointment start "${start}" (use YYYY-MM-DD HH:MM)`);
    if (endIso === null) problems.push(`bad appointment end "${end}" (use YYYY-MM-DD HH:MM)`);
    if (startIso !== null && endIso !== null) {
      if (Date.parse(startIso) >= Date.parse(endIso)) problems.push('the appointment must end after it starts');
      else appointment = { start: startIso, end: endIso };
    }
  }
  const instructions = orNull(row.instructions);
  if (instructions !== null) checkLength(problems, 'instructions', instructions, 2000);

  if (problems.length > 0 || priority === null) return { ok: false, problems };
  return {
    ok: true,
    value: {
      customer: { name, phones, email },
      address: {
        line1,
        line2: orNull(row.address_line2),
        city,
        region: row.region.trim(),
        postalCode: row.postal_code.trim(),
        country,
        lat,
        lon,
      },
      timeZone,
      dueDate: due === '' ? null : due,
      priority,
      appointment,
      instructions,
    },
  };
}

/** "Set top box", "set-top-box" and "SET_TOP_BOX" are the same type. */
export function itemTypeFor(text: string): ItemType | null {
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (itemTypes as readonly string[]).includes(key) ? (key as ItemType) : null;
}

export function checkItemFields(row: ImportRow): Checked<ItemFields> {
  const problems: string[] = [];
  const type = itemTypeFor(row.item_type);
  if (row.item_type.trim() === '') problems.push('missing equipment type');
  else if (type === null) problems.push(`unknown equipment type "${row.item_type}" (one of ${itemTypes.join(', ')})`);
  const serial = row.item_serial.trim();
  if (serial === '') problems.push('missing serial');
  checkLength(problems, 'serial', serial, 80);
  checkLength(problems, 'make', row.item_make.trim(), 80);
  checkLength(problems, 'model', row.item_model.trim(), 80);
  checkLength(problems, 'asset tag', row.item_asset_tag.trim(), 80);
  if (problems.length > 0 || type === null) return { ok: false, problems };
  return {
    ok: true,
    value: { type, make: row.item_make.trim(), model: row.item_model.trim(), serial, assetTag: orNull(row.item_asset_tag) },
  };
}
