import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClockDriftError, HybridLogicalClock, formatHlc, parseHlc } from '../../shared/sync/hlc';

describe('hybrid logical clock', () => {
  it('moves forward even when the wall clock stands still or goes back', () => {
    let wall = 1_000_000;
    const clock = new HybridLogicalClock('a', () => wall);
    const first = clock.now();
    const second = clock.now();
    wall -= 10_000;
    const third = clock.now();
    expect(first < second).toBe(true);
    expect(second < third).toBe(true);
  });

  it('orders a received timestamp before everything made after it', () => {
    const clock = new HybridLogicalClock('a', () => 1_000_000);
    const remote = formatHlc({ wallMs: 1_000_500, counter: 3, node: 'b' });
    const merged = clock.receive(remote);
    expect(merged > remote).toBe(true);
    expect(clock.now() > merged).toBe(true);
  });

  it('refuses a remote timestamp too far in the future and stays unpoisoned', () => {
    const clock = new HybridLogicalClock('server', () => 1_000_000, 60_000);
    const before = clock.now();
    const dayAhead = formatHlc({ wallMs: 1_000_000 + 86_400_000, counter: 0, node: 'laptop' });
    expect(() => clock.receive(dayAhead)).toThrow(ClockDriftError);
    const after = clock.now();
    expect(parseHlc(after)?.wallMs).toBe(1_000_000);
    expect(after > before).toBe(true);
  });

  it('text order equals clock order (property)', () => {
    const timestamp = fc.record({
      wallMs: fc.integer({ min: 0, max: 10 ** 14 }),
      counter: fc.integer({ min: 0, max: 36 ** 5 - 1 }),
      node: fc.constantFrom('a', 'b'),
    });
    fc.assert(
      fc.property(timestamp, timestamp, (x, y) => {
        const byFields = x.wallMs - y.wallMs || x.counter - y.counter || x.node.localeCompare(y.node);
        const byText = formatHlc(x).localeCompare(formatHlc(y));
        return Math.sign(byFields) === Math.sign(byText);
      }),
    );
  });

  it('round-trips through its text form and refuses garbage', () => {
    const ts = { wallMs: 1_795_000_000_000, counter: 42, node: 'dev-1' };
    expect(parseHlc(formatHlc(ts))).toEqual(ts);
    expect(parseHlc('yesterday')).toBeNull();
  });
});
