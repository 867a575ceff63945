import { describe, expect, it } from 'vitest';
import { clockToDaySeconds, dayInZone, daySecondsToClock, secondsSinceLocalMidnight, windowInDaySeconds } from '../../shared/domain/time-zone';

const hour = 3600;

describe('appointment windows become seconds since local midnight of the planned day', () => {
  it('reads a window booked with an offset in the job zone', () => {
    const window = { start: '2026-01-15T10:00:00-06:00', end: '2026-01-15T12:00:00-06:00' };
    expect(windowInDaySeconds(window, '2026-01-15', 'America/Chicago')).toEqual({ earliestS: 10 * hour, latestS: 12 * hour });
    // The same instants, written in UTC, mean the same thing.
    expect(windowInDaySeconds({ start: '2026-01-15T16:00:00Z', end: '2026-01-15T18:00:00Z' }, '2026-01-15', 'America/Chicago')).toEqual({
      earliestS: 10 * hour,
      latestS: 12 * hour,
    });
  });

  it('places a window on another zone’s timeline by the instant, not the wall clock', () => {
    // 10:00 in New York is 09:00 in Chicago.
    expect(secondsSinceLocalMidnight('2026-01-15T10:00:00-05:00', '2026-01-15', 'America/Chicago')).toBe(9 * hour);
    expect(secondsSinceLocalMidnight('2026-07-15T10:00:00+09:30', '2026-07-15', 'Australia/Darwin')).toBe(10 * hour);
  });

  it('counts real elapsed seconds on the day clocks spring forward (US, 8 March 2026)', () => {
    expect(clockToDaySeconds('09:00', '2026-03-08', 'America/Chicago')).toBe(8 * hour);
    expect(secondsSinceLocalMidnight('2026-03-08T09:00:00-05:00', '2026-03-08', 'America/Chicago')).toBe(8 * hour);
    expect(daySecondsToClock(8 * hour, '2026-03-08', 'America/Chicago')).toBe('09:00');
  });

  it('counts real elapsed seconds on the day clocks fall back (US, 1 November 2026)', () => {
    expect(clockToDaySeconds('09:00', '2026-11-01', 'America/Chicago')).toBe(10 * hour);
    expect(daySecondsToClock(10 * hour, '2026-11-01', 'America/Chicago')).toBe('09:00');
  });

  it('follows the southern hemisphere’s own change (Sydney, 5 April 2026)', () => {
    expect(clockToDaySeconds('08:00', '2026-04-05', 'Australia/Sydney')).toBe(9 * hour);
  });

  it('puts a window on another day outside the planned day', () => {
    expect(secondsSinceLocalMidnight('2026-01-16T10:00:00-06:00', '2026-01-15', 'America/Chicago')).toBe(34 * hour);
    expect(dayInZone(Date.parse('2026-01-16T03:00:00Z'), 'America/Chicago')).toBe('2026-01-15');
  });
});
