/**
 * JSON Canonicalization Scheme (RFC 8785). Custody hashes are computed over these bytes, so the
 * app, the server and any third-party verifier must produce exactly the same text for the same
 * value. ECMAScript's own number and string serialization is what RFC 8785 specifies, which is
 * why this is short; what it adds is property order by UTF-16 code units and strict refusals.
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export class CanonicalizationError extends Error {
  override readonly name = 'CanonicalizationError';
}

export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${value} has no JSON form`);
      // Number#toString is the ES2015 algorithm RFC 8785 section 3.2.2.3 names; -0 prints as "0".
      return String(value);
    case 'string':
      return canonicalString(value);
    case 'object':
      return Array.isArray(value) ? `[${value.map(canonicalize).join(',')}]` : canonicalObject(value);
    default:
      throw new CanonicalizationError(`a ${typeof value} has no JSON form`);
  }
}

function canonicalObject(value: object): string {
  const entries = Object.entries(value).filter(([, member]) => member !== undefined);
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 section 3.2.3 requires.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${canonicalString(key)}:${canonicalize(member)}`).join(',')}}`;
}

function canonicalString(text: string): string {
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      throw new CanonicalizationError('a string holds a lone surrogate, which RFC 8785 refuses');
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) throw new CanonicalizationError('a string holds a lone surrogate, which RFC 8785 refuses');
  }
  // JSON.stringify escapes exactly ", \ and C0 controls (short forms where they exist, else \u00xx).
  return JSON.stringify(text);
}

/** UTF-8 bytes of a well-formed string; shared/ has no TextEncoder (no DOM, no Node). */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return new Uint8Array(bytes);
}
