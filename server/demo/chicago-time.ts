export const CHICAGO = 'America/Chicago';

/** The calendar date in Chicago `days` after `from` (DST-safe: steps by calendar day, not 24h). */
export function chicagoDate(from: Date, days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: CHICAGO, year: 'numeric', month: '2-digit', day: '2-digit' }).format(from);
  const [year, month, day] = today.split('-').map(Number);
  const shifted = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days));
  return shifted.toISOString().slice(0, 10);
}

/** Chicago's UTC offset on a date, as "-05:00" (CDT) or "-06:00" (CST). */
function chicagoOffset(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: CHICAGO, timeZoneName: 'longOffset' })
    .formatToParts(noon)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-]\d{2}:\d{2})/.exec(name ?? '');
  return match?.[1] ?? '-06:00';
}

/** A local Chicago wall time on a date as ISO-8601 with the offset, e.g. 2025-06-12T09:00:00-05:00. */
export function chicagoLocalTime(date: string, hour: number, minute = 0): string {
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return `${date}T${hh}:${mm}:00${chicagoOffset(date)}`;
}
