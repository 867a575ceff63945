/**
 * A keyboard-wedge barcode scanner "types" a serial as fast keystrokes ending in Enter. People
 * type far slower (>~80 ms between keys), so a run of keys each within `maxGapMs` of the last,
 * at least `minLength` long and ending in Enter, is a scan wherever the focus is.
 *
 * A scanner sends characters, the Shift of its capitals, and the Enter at the end; never Tab or
 * an arrow. Such a key is someone moving through the form, so it ends the run: a word picked
 * in a list by typing, then Tab to the next field and Enter on a button, is never taken for a
 * scan, however fast the keys come (software that types for a person, such as voice control,
 * types that fast).
 */
export interface WedgeOptions {
  maxGapMs?: number;
  minLength?: number;
}

/** Keys a scanner may send between the characters of a serial (the Shift of a capital letter). */
const modifierKeys = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta']);

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
      if (key.length !== 1) {
        if (!modifierKeys.has(key)) buffer = '';
        return null;
      }
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
