/** Clock time on this device, 24-hour: "14:02". */
export function formatClockTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** A moment on this device's clock, for history entries: "Mar 4, 14:02". */
export function formatMoment(iso: string): string {
  return new Intl.DateTimeFormat(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

// Made once: setting up a formatter costs about 0.1 ms, and the job list formats a date per row.
const calendarDateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A calendar date (YYYY-MM-DD) as written, never shifted by the device's time zone. */
export function formatCalendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const at = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
  return calendarDateFormat.format(at);
}

/**
 * An appointment window in the customer's time zone, since that is the time the agent agreed
 * with the customer: "Tue, Mar 4, 09:00 – 11:00 CST".
 */
export function formatWindowInZone(start: string, end: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  const zoneName =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
      .formatToParts(new Date(start))
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  return `${day.format(new Date(start))}, ${time.format(new Date(start))} – ${time.format(new Date(end))} ${zoneName}`;
}
