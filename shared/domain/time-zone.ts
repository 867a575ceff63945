/**
 * Wall-clock time in a customer's zone, with only Intl, so shared/ needs no time-zone library.
 * Lessors write appointments as wall-clock times at the customer's address; contact-hour rules
 * and the route planner count in that local time. The planner counts seconds since local
 * midnight of the planned day, DST included: on the day clocks spring forward, 09:00 is 8 hours
 * after midnight, and the planner must see 8 hours.
 */

/**
 * Zones ICU has accepted. Building a DateTimeFormat to ask costs about 0.1 ms, and every job of
 * a pull page is validated: 10,000 jobs asked it 10,000 times, 2 s of a first sync, for the
 * handful of zones an organisation works in. Only accepted names are kept, so the set is bounded
 * by the IANA list however many bad names arrive.
 */
const knownZones = new Set<string>();

/**
 * Whether the runtime's ICU knows this IANA zone. Contact-hour rules are computed in the
 * customer's local time, so a job with an unknown zone must be refused at the boundary.
 */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

/** Whether YYYY-MM-DD names a real calendar day (rejects 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const parsed = parseCalendarDate(text);
  if (!parsed) return false;
  const [year, month, day] = parsed;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function parseCalendarDate(text: string): [number, number, number] | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(zone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instantMs: number, zone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Chicago in winter: −6 h). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  const wall = wallClockAt(instantMs, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

function parseDay(day: string): [number, number, number] {
  const parsed = parseCalendarDate(day);
  if (!parsed) throw new RangeError(`expected a day as YYYY-MM-DD, got ${day}`);
  return parsed;
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward change
 * (02:30 on the night clocks jump from 02:00 to 03:00) is read with the offset in force after
 * the change, so it lands an hour early, at 01:30 as the wall clock showed it then; every other
 * time of day is exact.
 */
export function instantOfWallClock(day: string, zone: string, secondsOfDay: number): number {
  const [y, m, d] = parseDay(day);
  const naive = Date.UTC(y, m - 1, d) + secondsOfDay * 1000;
  // Two passes: the offset at the guess may differ from the offset at the answer near a change.
  const first = naive - zoneOffsetMs(naive, zone);
  return naive - zoneOffsetMs(first, zone);
}

export function midnightOf(day: string, zone: string): number {
  return instantOfWallClock(day, zone, 0);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const localDateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * An ISO-8601 instant for a local date-time in `zone` ("2026-11-24 09:00" in America/Chicago →
 * "2026-11-24T09:00:00-06:00"), or null when the text is not a date-time. Text that already
 * carries an offset or Z is taken as it is.
 */
export function localTimeToIso(text: string, zone: string): string | null {
  const trimmed = text.trim();
  if (/[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) {
    const normalized = trimmed.replace(' ', 'T');
    return Number.isNaN(Date.parse(normalized)) ? null : normalized;
  }
  const match = localDateTime.exec(trimmed);
  if (!match) return null;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6] ?? '0')];
  if (!isCalendarDate(day) || hour > 23 || minute > 59 || second > 59) return null;
  const wallSeconds = hour * 3600 + minute * 60 + second;
  const instant = instantOfWallClock(day, zone, wallSeconds);
  const offsetMinutes = Math.round((midnightUtc(day) + wallSeconds * 1000 - instant) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}T${pad(hour)}:${pad(minute)}:${pad(second)}${formatOffset(offsetMinutes)}`;
}

function midnightUtc(day: string): number {
  const [y, m, d] = parseDay(day);
  return Date.UTC(y, m - 1, d);
}

/** Seconds from the day's local midnight to an instant (negative before it, past 86 400 the next day). */
export function secondsSinceLocalMidnight(instant: string | number, day: string, zone: string): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a date and time: ${String(instant)}`);
  return (ms - midnightOf(day, zone)) / 1000;
}

/** "08:00" on the day, as seconds since that day's local midnight. */
export function clockToDaySeconds(clock: string, day: string, zone: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(clock);
  if (!match) throw new RangeError(`expected a time as HH:MM, got ${clock}`);
  const wall = Number(match[1]) * 3600 + Number(match[2]) * 60;
  return secondsSinceLocalMidnight(instantOfWallClock(day, zone, wall), day, zone);
}

/** An appointment window as the planner wants it, on the planned day's timeline. */
export function windowInDaySeconds(
  window: { readonly start: string; readonly end: string },
  day: string,
  zone: string,
): { earliestS: number; latestS: number } {
  return { earliestS: secondsSinceLocalMidnight(window.start, day, zone), latestS: secondsSinceLocalMidnight(window.end, day, zone) };
}

/** The wall-clock time ("14:05") at so many seconds after the day's local midnight. */
export function daySecondsToClock(seconds: number, day: string, zone: string): string {
  const wall = wallClockAt(midnightOf(day, zone) + Math.round(seconds) * 1000, zone);
  return `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayInZone(instantMs: number, zone: string): string {
  const wall = wallClockAt(instantMs, zone);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

export function daySecondsToIso(seconds: number, day: string, zone: string): string {
  return new Date(midnightOf(day, zone) + Math.round(seconds) * 1000).toISOString();
}

/** The calendar day `days` after `day` (YYYY-MM-DD), whatever the zone: tomorrow is one day on. */
export function addCalendarDays(day: string, days: number): string {
  const [y, m, d] = parseDay(day);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** An instant as ISO 8601 in the zone's wall-clock time with its UTC offset: "2026-11-24T09:00:05-06:00". */
export function isoWithOffset(instant: string | number, zone: string): string {
  const ms = instantMs(instant);
  return withOffset(ms, zoneOffsetMs(ms, zone));
}

const HOUR_MS = 3_600_000;

/**
 * isoWithOffset for long runs of instants (an export of a year of custody events): Intl is asked
 * for a zone's offset once per UTC hour, not once per instant, which was most of an export's time.
 * An hour whose first and last second have the same offset has it throughout, because no zone
 * changes its offset twice within one hour; an hour with a change in it is read instant by
 * instant, exactly as isoWithOffset does.
 */
export function isoWithOffsetByHour(): (instant: string | number, zone: string) => string {
  const zones = new Map<string, Map<number, number | null>>();
  return (instant, zone) => {
    const ms = instantMs(instant);
    const hour = Math.floor(ms / HOUR_MS);
    let hours = zones.get(zone);
    if (!hours) {
      hours = new Map();
      zones.set(zone, hours);
    }
    let offset = hours.get(hour);
    if (offset === undefined) {
      if (hours.size >= 100_000) hours.clear();
      const first = zoneOffsetMs(hour * HOUR_MS, zone);
      offset = first === zoneOffsetMs(hour * HOUR_MS + HOUR_MS - 1000, zone) ? first : null;
      hours.set(hour, offset);
    }
    return withOffset(ms, offset ?? zoneOffsetMs(ms, zone));
  };
}

function instantMs(instant: string | number): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a date and time: ${String(instant)}`);
  return ms;
}

function withOffset(ms: number, offset: number): string {
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
  return `${wall}${formatOffset(Math.round(offset / 60_000))}`;
}
