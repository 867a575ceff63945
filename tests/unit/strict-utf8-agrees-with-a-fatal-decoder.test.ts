import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strictUtf8 } from '../../shared/trust/strict-bytes';

/**
 * strictUtf8 decodes in pieces (one string per 8,192 code units, joined once) so a 10 MB
 * events.json does not become a rope of ten million nodes; it must still accept and refuse
 * exactly what a fatal WHATWG decoder does, across piece boundaries and astral characters.
 */
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodeOrNull = (decode: () => string): string | null => {
  try {
    return decode();
  } catch {
    return null;
  }
};

describe('strictUtf8', () => {
  it('agrees with a fatal decoder on arbitrary bytes and on long valid text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeOrNull(() => strictUtf8(bytes, 'bytes'))).toBe(decodeOrNull(() => fatal.decode(bytes)));
      }),
      { seed: 8259, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 8000, maxLength: 12000 }), (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(strictUtf8(bytes, 'text')).toBe(text);
      }),
      { seed: 3629, numRuns: 20 },
    );
  });
});
