import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../shared/domain/time-zone';
import { calendarDateText, clockText, longCalendarDateText, momentText, weekdayClockText, windowText, zoneDiffers } from '../../shared/domain/time-text';

const chicago = { timeZone: 'America/Chicago', deviceZone: 'America/Chicago', locale: 'en-US' } as const;
const fromBerlin = { ...chicago, deviceZone: 'Europe/Berlin' } as const;

/** Every time on screen is one formatter's: the job's zone, the user's locale, the zone named when the laptop is elsewhere. */
describe('one way to show time', () => {
  it("reads a moment in the job's zone, 24-hour, with the weekday", () => {
    expect(momentText('2026-12-03T23:24:00Z', chicago)).toBe('Thu, Dec 3, 17:24');
    expect(clockText('2026-12-03T23:24:00Z', chicago)).toBe('17:24');
    expect(weekdayClockText('2026-12-03T19:20:00Z', chicago)).toBe('Thursday 13:20');
  });

  it("names the zone only when the laptop's clock reads the moment differently", () => {
    expect(momentText('2026-12-03T23:24:00Z', fromBerlin)).toBe('Thu, Dec 3, 17:24 CST');
    expect(clockText('2026-07-03T14:00:00Z', fromBerlin)).toBe('09:00 CDT');
    // Winnipeg and Chicago keep the same offset: naming the zone would be noise.
    expect(zoneDiffers('2026-12-03T23:24:00Z', { ...chicago, deviceZone: 'America/Winnipeg' })).toBe(false);
    expect(zoneDiffers('2026-12-03T23:24:00Z', fromBerlin)).toBe(true);
  });

  it("follows the user's locale for the order and names of days and months", () => {
    const german = momentText('2026-12-03T23:24:00Z', { ...chicago, locale: 'de-DE' });
    expect(german).toContain('3.');
    expect(german).toContain('Dez');
    expect(german).toContain('17:24');
    expect(german).not.toContain('Dec');
  });

  it('writes a calendar date (a due date) as written, in no zone', () => {
    expect(calendarDateText('2026-12-04', 'en-US')).toBe('Fri, Dec 4');
    expect(longCalendarDateText('2026-12-04', 'en-US')).toBe('Friday, Dec 4');
  });

  it("writes an appointment window in the customer's zone", () => {
    expect(windowText('2026-12-03T15:00:00Z', '2026-12-03T17:00:00Z', chicago)).toBe('Thu, Dec 3, 09:00–11:00');
    expect(windowText('2026-12-03T15:00:00Z', '2026-12-03T17:00:00Z', fromBerlin)).toBe('Thu, Dec 3, 09:00–11:00 CST');
  });

  it('writes an export time as ISO 8601 in the job\'s zone with its UTC offset, summer and winter', () => {
    expect(isoWithOffset('2026-12-03T23:24:05.250Z', 'America/Chicago')).toBe('2026-12-03T17:24:05-06:00');
    expect(isoWithOffset('2026-07-03T14:00:00Z', 'America/Chicago')).toBe('2026-07-03T09:00:00-05:00');
    expect(isoWithOffset('2026-07-03T14:00:00Z', 'Asia/Kolkata')).toBe('2026-07-03T19:30:00+05:30');
    expect(Date.parse(isoWithOffset('2026-12-03T23:24:05Z', 'America/Chicago'))).toBe(Date.parse('2026-12-03T23:24:05Z'));
  });

  it('refuses text that is not a time rather than printing "Invalid Date"', () => {
    expect(() => momentText('yesterday', chicago)).toThrow(RangeError);
    expect(() => calendarDateText('2026-12', 'en-US')).toThrow(RangeError);
  });
});
