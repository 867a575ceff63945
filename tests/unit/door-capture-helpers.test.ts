import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWithin } from '../../renderer/features/capture/photo-pipeline';
import { signatureProblem } from '../../renderer/features/capture/signature-check';
import { createWedgeDetector, matchSerial } from '../../renderer/features/capture/wedge-scanner';

describe('keyboard-wedge scanner', () => {
  /** Feeds the keys `gapMs` apart; the scan the last Enter completed, if any. */
  const feed = (keys: readonly string[], gapMs: number) => {
    const detector = createWedgeDetector();
    let result: string | null = null;
    keys.forEach((key, i) => {
      result = detector.feed(key, 1000 + i * gapMs) ?? result;
    });
    return result;
  };
  const type = (text: string, gapMs: number) => feed([...text, 'Enter'], gapMs);

  it('takes fast keystrokes ending in Enter as a scan, and a person typing as typing', () => {
    expect(type('MDM-12345', 8)).toBe('MDM-12345');
    expect(type('MDM-12345', 150)).toBeNull();
    expect(type('AB', 8)).toBeNull();
  });

  it('takes a Tab or an arrow among fast keys for someone moving through the form, not for a scan; a Shift for a capital does not break a scan', () => {
    // "Recovered" picked in a list by typing, Tab, a serial typed, Tab to the button, Enter: as fast as a scanner.
    expect(feed([...'Recovered', 'Tab', ...'J03601374529', 'Tab', 'Enter'], 5)).toBeNull();
    expect(feed([...'Recovered', 'Tab', ...'J03601374529', 'Enter'], 5)).toBe('J03601374529');
    expect(feed([...'MDM', 'ArrowDown', ...'12345', 'Enter'], 5)).toBe('12345');
    expect(feed(['Shift', 'M', 'Shift', 'D', 'Shift', 'M', ...'-12345', 'Enter'], 5)).toBe('MDM-12345');
  });

  it('matches a scan to an expected item regardless of case, spaces and dashes', () => {
    const items = [{ serial: 'MDM-12345' }, { serial: 'STB 777' }];
    expect(matchSerial(items, 'mdm12345')).toBe(items[0]);
    expect(matchSerial(items, 'STB-777')).toBe(items[1]);
    expect(matchSerial(items, 'XYZ')).toBeNull();
  });
});

describe('photo size', () => {
  it('fits the longest side within 2048 px, keeps the aspect ratio, never enlarges', () => {
    expect(fitWithin(4000, 3000, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(800, 600, 2048)).toEqual({ width: 800, height: 600 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (w, h) => {
        const fitted = fitWithin(w, h, 2048);
        expect(Math.max(fitted.width, fitted.height)).toBeLessThanOrEqual(2048);
        expect(fitted.width).toBeLessThanOrEqual(w);
        // Each side is the exact scaled size, rounded (and at least one pixel).
        const scale = Math.min(1, 2048 / Math.max(w, h));
        expect(Math.abs(fitted.width - Math.max(1, w * scale))).toBeLessThanOrEqual(0.5);
        expect(Math.abs(fitted.height - Math.max(1, h * scale))).toBeLessThanOrEqual(0.5);
      }),
    );
  });
});

describe('signature check', () => {
  it('refuses an empty pad, a dot and a short dash, and accepts a real signature', () => {
    expect(signatureProblem([], 400)).toContain('empty');
    expect(signatureProblem([{ points: [{ x: 10, y: 10 }] }], 400)).not.toBeNull();
    expect(signatureProblem([{ points: Array.from({ length: 12 }, (_, i) => ({ x: 10 + i * 2, y: 10 })) }], 400)).not.toBeNull();
    const wave = Array.from({ length: 60 }, (_, i) => ({ x: 20 + i * 5, y: 50 + 20 * Math.sin(i / 3) }));
    expect(signatureProblem([{ points: wave }], 400)).toBeNull();
  });
});
