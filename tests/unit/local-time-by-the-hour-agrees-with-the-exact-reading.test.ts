import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWithOffset, isoWithOffsetByHour } from '../../shared/domain/time-zone';

/**
 * The CSV export reads a zone's offset once per UTC hour (isoWithOffsetByHour). It must print the
 * same text as the exact reading for every instant, including the seconds around a change of
 * offset, in zones that change by an hour, by half an hour, at odd minutes, or not at all.
 */
const zones = ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'UTC', 'Asia/Tokyo'];

describe('local time read by the hour', () => {
  it('agrees with the exact reading at any instant in any zone', () => {
    const byHour = isoWithOffsetByHour();
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }), fc.constantFrom(...zones), (ms, zone) => {
        expect(byHour(new Date(ms).toISOString(), zone)).toBe(isoWithOffset(ms, zone));
      }),
      { numRuns: 400 },
    );
  });

  it('agrees second by second across changes of offset', () => {
    const byHour = isoWithOffsetByHour();
    // Chicago springs forward at 08:00 UTC and falls back at 07:00 UTC; Lord Howe moves by 30 minutes.
    const changes = ['2026-03-08T08:00:00Z', '2026-11-01T07:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'];
    for (const change of changes) {
      const at = Date.parse(change);
      // Every second of the minute either side of the change, and the two hours around it in steps.
      const instants = [...Array.from({ length: 121 }, (_, n) => at + (n - 60) * 1000), ...Array.from({ length: 125 }, (_, n) => at - 3_700_000 + n * 59_333)];
      for (const ms of instants) {
        for (const zone of ['America/Chicago', 'Australia/Lord_Howe']) expect(byHour(ms, zone)).toBe(isoWithOffset(ms, zone));
      }
    }
    expect(byHour('2026-03-08T07:59:59.000Z', 'America/Chicago')).toBe('2026-03-08T01:59:59-06:00');
    expect(byHour('2026-03-08T08:00:00.000Z', 'America/Chicago')).toBe('2026-03-08T03:00:00-05:00');
  });
});
