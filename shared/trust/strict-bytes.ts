/**
 * Strict readers for the bytes a verifier is handed. A record proves itself only if there is
 * exactly one way to read it: one UTF-8 decoding, one JSON text (its RFC 8785 form), one base64
 * spelling. Anything else is refused with where it went wrong, because a second spelling of the
 * same value is room for a forger (an overlong "/" in a path, a duplicate key read differently by
 * two parsers, padding bits that change nothing the signature covers).
 */
import { canonicalize, CanonicalizationError, type JsonValue } from '../custody/canonical-json';

export class StrictBytesError extends Error {
  override readonly name = 'StrictBytesError';
}

/** Decodes UTF-8, refusing overlong forms, surrogates, code points past U+10FFFF and truncation. */
export function strictUtf8(bytes: Uint8Array, what: string): string {
  // Code units are gathered in pieces and joined once: adding one character at a time to a
  // string builds a rope of one node per byte, hundreds of MB for a 10 MB events.json.
  const pieces: string[] = [];
  const units: number[] = [];
  const flush = () => {
    pieces.push(String.fromCharCode(...units));
    units.length = 0;
  };
  let i = 0;
  const fail = (reason: string): never => {
    throw new StrictBytesError(`${what} is not valid UTF-8 at byte ${i}: ${reason}`);
  };
  while (i < bytes.length) {
    if (units.length >= 8192) flush();
    const a = bytes[i] as number;
    if (a < 0x80) {
      units.push(a);
      i += 1;
      continue;
    }
    const size = a >= 0xc2 && a <= 0xdf ? 2 : a >= 0xe0 && a <= 0xef ? 3 : a >= 0xf0 && a <= 0xf4 ? 4 : 0;
    if (size === 0) fail(a >= 0x80 && a <= 0xc1 ? 'an overlong or stray continuation byte' : 'a byte that starts no character');
    if (i + size > bytes.length) fail('a character cut short');
    let code = a & (size === 2 ? 0x1f : size === 3 ? 0x0f : 0x07);
    for (let j = 1; j < size; j += 1) {
      const next = bytes[i + j] as number;
      if ((next & 0xc0) !== 0x80) fail('a character cut short');
      code = (code << 6) | (next & 0x3f);
    }
    if ((size === 3 && code < 0x800) || (size === 4 && code < 0x10000)) fail('an overlong form');
    if (code >= 0xd800 && code <= 0xdfff) fail('an encoded surrogate');
    if (code > 0x10ffff) fail('a code point past U+10FFFF');
    if (code >= 0x10000) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
    else units.push(code);
    i += size;
  }
  flush();
  return pieces.join('');
}

/** UTF-8 bytes of a string (no TextEncoder in shared/). */
export { utf8 } from '../custody/canonical-json';

function firstDifference(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
  return length;
}

/**
 * Parses a JSON file that must be in its RFC 8785 form, byte for byte. Duplicate keys, extra
 * whitespace, escapes written another way, numbers spelled another way (1.0, 1e2) and invalid
 * UTF-8 all make the bytes differ from the canonical form, so they are all refused here.
 */
export function parseCanonicalJson(bytes: Uint8Array, what: string): JsonValue {
  const text = strictUtf8(bytes, what);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StrictBytesError(`${what} is not JSON`);
  }
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    throw new StrictBytesError(`${what} cannot be canonicalised: ${error instanceof CanonicalizationError ? error.message : String(error)}`);
  }
  if (canonical !== text) {
    const at = firstDifference(canonical, text);
    throw new StrictBytesError(`${what} is not in its canonical form (RFC 8785) at character ${at}: near ${JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))}`);
  }
  return value as JsonValue;
}

const base64Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard padded base64 (RFC 4648 section 4), as C2SP notes and the public key answer use. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < 4; j += 1) out += j < chars ? base64Alphabet[(triple >> (18 - 6 * j)) & 63] : '=';
  }
  return out;
}

/** Decodes standard base64 only in its one canonical spelling: padded, no stray bits. */
export function fromBase64(text: string, what: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new StrictBytesError(`${what} is not base64`);
  const body = text.replace(/=+$/, '');
  const bytes = new Uint8Array(Math.floor((body.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of body) {
    buffer = ((buffer << 6) | base64Alphabet.indexOf(char)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index] = (buffer >> bits) & 0xff;
      index += 1;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new StrictBytesError(`${what} is base64 with bits set in its padding, a second spelling of the same bytes`);
  return bytes;
}
