/**
 * The planner counts seconds since local midnight of the planned day; jobs carry instants
 * (ISO with offset) and an IANA zone. These convert between the two, DST included: on the day
 * clocks spring forward, 09:00 is 8 hours after midnight, and the planner must see 8 hours.
 */

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
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new RangeError(`expected a day as YYYY-MM-DD, got ${day}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward change
 * resolves to the instant just after the gap, as a clock on the wall would show it.
 */
export function instantOfWallClock(day: string, zone: string, secondsOfDay: number): number {
  const [y, m, d] = parseDay(day);
  const naive = Date.UTC(y, m - 1, d) + secondsOfDay * 1000;
  // Two passes: the offset at the guess may differ from the offset at the answer near a change.
  const first = naive - zoneOffsetMs(naive, zone);
  const second = naive - zoneOffsetMs(first, zone);
  return second;
}

export function midnightOf(day: string, zone: string): number {
  return instantOfWallClock(day, zone, 0);
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

export function dayInZone(instantMs: number, zone: string): string {
  const wall = wallClockAt(instantMs, zone);
  return `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
}

export function daySecondsToIso(seconds: number, day: string, zone: string): string {
  return new Date(midnightOf(day, zone) + Math.round(seconds) * 1000).toISOString();
}
