import { calendarDateText, clockText, longCalendarDateText, momentText, weekdayClockText, windowText, type TimeTextContext } from '../../shared/domain/time-text';

/**
 * The renderer's side of shared/domain/time-text: the laptop's zone and the user's locale
 * (undefined lets Intl use the browser's). Every time on screen goes through here.
 */
export const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** How a time is read: in `timeZone` (a job's), else on the laptop's own clock. */
export function timeContext(timeZone: string = deviceZone): TimeTextContext {
  return { timeZone, deviceZone, locale: undefined };
}

/** Clock time, 24-hour: "14:02" (the zone named when it is not the laptop's). */
export function formatClockTime(iso: string, timeZone?: string): string {
  return clockText(iso, timeContext(timeZone));
}

/** A moment: "Thu, Mar 4, 14:02", in the job's zone when one is given. */
export function formatMoment(iso: string, timeZone?: string): string {
  return momentText(iso, timeContext(timeZone));
}

/** A time on another day than the one in view: "Thursday 13:20". */
export function formatWeekdayClock(iso: string, timeZone?: string): string {
  return weekdayClockText(iso, timeContext(timeZone));
}

/** A calendar date (YYYY-MM-DD) as written, never shifted by the device's time zone: "Fri, Dec 4". */
export function formatCalendarDate(isoDate: string): string {
  return calendarDateText(isoDate);
}

/** A day for a heading: "Friday, Dec 4". */
export function formatLongCalendarDate(isoDate: string): string {
  return longCalendarDateText(isoDate);
}

/**
 * An appointment window in the customer's time zone, since that is the time the agent agreed
 * with the customer: "Tue, Mar 4, 09:00–11:00" (with "CST" when the laptop is elsewhere).
 */
export function formatWindowInZone(start: string, end: string, timeZone: string): string {
  return windowText(start, end, timeContext(timeZone));
}
