import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from '../../server/http/ascii-json';

/**
 * Every JSON answer goes out through asciiJson: whatever the value holds (any Unicode, lone
 * surrogates, control characters, escapes of its own), the bytes are ASCII and parse back to
 * what JSON.stringify would have said. Made a piece at a time, the bytes are JSON.stringify's
 * text escaped whole, byte for byte, wherever the pieces fall.
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

  it('is byte for byte JSON.stringify escaped whole, however small the pieces it is made in', () => {
    const escapedWhole = (value: unknown) => (JSON.stringify(value) ?? 'null').replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\u2014', '\ud800', 'Ana'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 30 }), fc.dictionary(text, tie('value'), { maxKeys: 5 })),
    })).value;
    // Pages as the API answers them: an object whose arrays are what grows.
    const answer = fc.record({ changes: fc.array(json, { maxLength: 60 }), cursor: text, hasMore: fc.boolean() });
    fc.assert(
      fc.property(fc.oneof(answer, json), fc.integer({ min: 1, max: 200 }), (value, pieceChars) => {
        expect(asciiJson(value, pieceChars).toString('latin1')).toBe(escapedWhole(value));
      }),
      { seed: 7, numRuns: 1500 },
    );
    // What JSON.stringify leaves out or writes as null, and a member with a toJSON.
    const odd = { gone: undefined, fn: () => 1, list: [undefined, () => 1, new Date(0)], at: new Date(0), none: null, 'é': ['\u2014'] };
    expect(asciiJson(odd, 4).toString('latin1')).toBe(escapedWhole(odd));
    expect(asciiJson([odd, odd], 4).toString('latin1')).toBe(escapedWhole([odd, odd]));
    expect(asciiJson(undefined).toString('latin1')).toBe('null');
    expect(asciiJson(new Date(0)).toString('latin1')).toBe(JSON.stringify(new Date(0)));
  });
});
