/**
 * A keyboard-wedge barcode scanner "types" a serial as fast keystrokes ending in Enter. People
 * type far slower (>~80 ms between keys), so a run of keys each within `maxGapMs` of the last,
 * at least `minLength` long and ending in Enter, is a scan wherever the focus is.
 */
export interface WedgeOptions {
  maxGapMs?: number;
  minLength?: number;
}

export function createWedgeDetector({ maxGapMs = 40, minLength = 4 }: WedgeOptions = {}) {
  let buffer = '';
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    /** Feed one key press; returns the scanned text when this Enter completes a scan. */
    feed(key: string, at: number): string | null {
      const fast = at - lastAt <= maxGapMs;
      lastAt = at;
      if (key === 'Enter') {
        const scanned = fast && buffer.length >= minLength ? buffer : null;
        buffer = '';
        return scanned;
      }
      if (key.length !== 1) return null;
      buffer = fast ? buffer + key : key;
      return null;
    },
  };
}

/** Serials are compared without case, spaces or dashes: plates and scanners disagree on those. */
export function normalizeSerial(serial: string): string {
  return serial.toUpperCase().replace(/[\s-]/g, '');
}

export function matchSerial<T extends { serial: string }>(items: readonly T[], scanned: string): T | null {
  const wanted = normalizeSerial(scanned);
  return items.find((item) => normalizeSerial(item.serial) === wanted) ?? null;
}
