import { zoneOffsetMs } from './time-zone';

/**
 * The one way the app writes a time for people. A job's times are read in the job's zone (the
 * customer's: an appointment at 09:00 means 09:00 at their door), in the user's locale for the
 * order and names of days and months, on a 24-hour clock (a van's dashboard, a timesheet). When
 * the laptop's zone reads that moment differently, the zone is named, so "09:00" is never
 * silently an hour off. Pure Intl: no time-zone library, no DOM.
 */
export interface TimeTextContext {
  /** The zone the time is read in: the job's zone, or the laptop's for the laptop's own events. */
  readonly timeZone: string;
  /** The laptop's zone; the zone is named only when the two disagree at that moment. */
  readonly deviceZone: string;
  /** The user's BCP 47 locale(s); undefined is the runtime's default. */
  readonly locale?: string | readonly string[] | undefined;
}

type Style = 'moment' | 'clock' | 'date' | 'weekday-clock' | 'weekday-date' | 'zone';

const styles: Record<Style, Intl.DateTimeFormatOptions> = {
  moment: { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  date: { weekday: 'short', month: 'short', day: 'numeric' },
  'weekday-clock': { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  'weekday-date': { weekday: 'long', month: 'short', day: 'numeric' },
  zone: { timeZoneName: 'short' },
};

// A formatter costs about 0.1 ms to set up and a job list formats a date per row: made once each.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(style: Style, timeZone: string, locale: TimeTextContext['locale']): Intl.DateTimeFormat {
  const locales = locale === undefined ? undefined : typeof locale === 'string' ? locale : [...locale];
  const key = `${style}|${timeZone}|${String(locales)}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(locales, { ...styles[style], timeZone });
    formatters.set(key, made);
  }
  return made;
}

function instantOf(at: string | number | Date): number {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a date and time: ${String(at)}`);
  return ms;
}

/** Whether the laptop's clock reads this moment differently from the zone the text is in. */
export function zoneDiffers(at: string | number | Date, context: TimeTextContext): boolean {
  if (context.timeZone === context.deviceZone) return false;
  const ms = instantOf(at);
  return zoneOffsetMs(ms, context.timeZone) !== zoneOffsetMs(ms, context.deviceZone);
}

/** The zone's short name at that moment in the user's locale ("CST", or "GMT-6" where it has none). */
export function zoneName(at: string | number | Date, timeZone: string, locale?: TimeTextContext['locale']): string {
  return formatter('zone', timeZone, locale).formatToParts(new Date(instantOf(at))).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

function withZone(text: string, at: string | number | Date, context: TimeTextContext): string {
  return zoneDiffers(at, context) ? `${text} ${zoneName(at, context.timeZone, context.locale)}` : text;
}

/** A moment: "Thu, Dec 3, 23:24", with " CST" when the laptop is in another zone. */
export function momentText(at: string | number | Date, context: TimeTextContext): string {
  return withZone(formatter('moment', context.timeZone, context.locale).format(new Date(instantOf(at))), at, context);
}

/** A time of day: "23:24", with the zone when the laptop is in another one. */
export function clockText(at: string | number | Date, context: TimeTextContext): string {
  return withZone(formatter('clock', context.timeZone, context.locale).format(new Date(instantOf(at))), at, context);
}

/** A time of day on a named weekday: "Thursday 13:20" (for a time on another day than the one in view). */
export function weekdayClockText(at: string | number | Date, context: TimeTextContext): string {
  return withZone(formatter('weekday-clock', context.timeZone, context.locale).format(new Date(instantOf(at))), at, context);
}

function calendarNoon(isoDate: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`expected a day as YYYY-MM-DD, got ${isoDate}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12));
}

/** A calendar day (YYYY-MM-DD, a due date) as written, in no zone: "Fri, Dec 4". */
export function calendarDateText(isoDate: string, locale?: TimeTextContext['locale']): string {
  return formatter('date', 'UTC', locale).format(calendarNoon(isoDate));
}

/** A calendar day with its weekday in full, for a heading: "Friday, Dec 4". */
export function longCalendarDateText(isoDate: string, locale?: TimeTextContext['locale']): string {
  return formatter('weekday-date', 'UTC', locale).format(calendarNoon(isoDate));
}

/**
 * An appointment window: "Thu, Dec 3, 09:00–11:00", read in the job's zone because that is the
 * time the customer agreed to, and named when the laptop's zone differs.
 */
export function windowText(start: string, end: string, context: TimeTextContext): string {
  const day = formatter('date', context.timeZone, context.locale).format(new Date(instantOf(start)));
  const clock = formatter('clock', context.timeZone, context.locale);
  return withZone(`${day}, ${clock.format(new Date(instantOf(start)))}–${clock.format(new Date(instantOf(end)))}`, start, context);
}
