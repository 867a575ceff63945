import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from '../../server/http/ascii-json';

/**
 * Every JSON answer goes out through asciiJson: whatever the value holds (any Unicode, lone
 * surrogates, control characters, escapes of its own), the bytes are ASCII and parse back to
 * what JSON.stringify would have said.
 */
describe('ASCII JSON reads back as the value', () => {
  it('is ASCII and parses to the same value, for any JSON value with any text in it', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('\u2014 reclaim.org/abc', '\\u00e9', '"\u0000\u007f\u0080"', '\ud800', '\udfff\ud83d'));
    const value = fc.letrec((tie) => ({
      json: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('json'), { maxLength: 4 }), fc.dictionary(text, tie('json'), { maxKeys: 4 })),
    })).json;
    fc.assert(
      fc.property(value, (json) => {
        const bytes = asciiJson(json);
        expect(bytes.every((byte) => byte <= 0x7f)).toBe(true);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(json)));
      }),
      { seed: 41, numRuns: 2000 },
    );
  });

  it('writes an ASCII value as JSON.stringify does, and a character beyond ASCII as its escape', () => {
    const page = { changes: [{ seq: '1', name: 'Ana' }], checkpoint: 'reclaim.org/log\n1\n\n\u2014 reclaim.org/k1 AAAA\n' };
    expect(asciiJson({ name: 'Ana' }).toString('latin1')).toBe('{"name":"Ana"}');
    expect(asciiJson(page).toString('latin1')).toBe(JSON.stringify(page).replace('\u2014', '\\u2014'));
    expect(asciiJson('東😀').toString('latin1')).toBe('"\\u6771\\ud83d\\ude00"');
  });
});
