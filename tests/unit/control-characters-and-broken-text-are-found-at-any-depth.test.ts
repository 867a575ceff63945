import { describe, expect, it } from 'vitest';
import { findUnsafeText } from '../../server/http/unsafe-text';

describe('findUnsafeText', () => {
  it('finds NUL, other C0 and C1 controls, DEL and lone surrogates, and names where', () => {
    expect(findUnsafeText({ q: 'a\u0000b' }, 'query', false)).toEqual({ path: 'query.q', message: 'contains the NUL character (U+0000). Remove it' });
    expect(findUnsafeText({ a: [{ b: 'x\u001b[31m' }] }, 'body', true)?.path).toBe('body.a.0.b');
    expect(findUnsafeText({ a: 'x\u007f' }, 'body', true)?.message).toContain('U+007F');
    expect(findUnsafeText({ a: 'x\u0085' }, 'body', true)?.message).toContain('U+0085');
    expect(findUnsafeText({ a: 'x\ud800' }, 'body', true)?.message).toContain('surrogate');
    expect(findUnsafeText({ a: '\udc00x' }, 'body', true)?.message).toContain('surrogate');
    expect(findUnsafeText({ ['k\u0000']: 1 }, 'body', true)?.message).toMatch(/^has a field name that contains the NUL/);
  });

  it('lets well-formed text through, and line breaks and tabs in body text but not in a query', () => {
    expect(findUnsafeText({ note: 'Gate\tcode\r\n4471 🦄 ünïcödé' }, 'body', true)).toBeNull();
    expect(findUnsafeText({ q: 'two\nlines' }, 'query', false)?.message).toContain('U+000A');
    expect(findUnsafeText({ ['a\nb']: 'x' }, 'body', true)?.message).toMatch(/field name/);
    expect(findUnsafeText(Buffer.from([0, 1, 2]), 'body', true)).toBeNull();
    expect(findUnsafeText(null, 'body', true)).toBeNull();
  });

  it('walks a body nested 10,000 deep without the call stack, and shortens the path it names', () => {
    let deep: unknown = 'bad\u0001';
    for (let i = 0; i < 10_000; i += 1) deep = { a: [deep] };
    const found = findUnsafeText(deep, 'body', true);
    expect(found?.path).toMatch(/^body\.a\.0\.a\.…\(\d+ levels\)…\./);
    expect(found?.path.length).toBeLessThan(100);
  });
});
