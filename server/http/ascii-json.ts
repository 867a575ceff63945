/** A character a JSON text may hold beyond ASCII (JSON.stringify already escapes control characters and lone surrogates). */
const NOT_ASCII = /[\u0080-\uffff]/g;

/**
 * Characters of JSON text turned into bytes at a time. A pull page's text as one string (~800 KB)
 * was past V8's largest ordinary object (128 KB), and such a string and its bytes each went to
 * freshly mapped memory, whose page faults cost more here than writing the JSON. In pieces, the
 * server's side of a first sync of 10,000 jobs took 0.89 of the time on SQLite and 0.86–0.97 on
 * PostgreSQL (pull-walk.bench.ts beside the previous commit's server).
 */
const PIECE_CHARS = 32 * 1024;

/**
 * A value as JSON bytes that are all ASCII: each UTF-16 unit beyond it written as a \uXXXX
 * escape (a character beyond the Basic Multilingual Plane as its two surrogates), which every
 * JSON parser reads back as the same string.
 *
 * A browser reads an ASCII body as text with one copy; a single character beyond ASCII (the em
 * dash every signed custody checkpoint carries, an accented customer name) makes it decode the
 * whole body as UTF-8 and parse it as two-byte text. Measured in Chromium on a 725 KB pull page:
 * the body read as text in 9–15 ms, against 0.5 ms once it is ASCII.
 *
 * The text is made and turned into bytes a piece at a time (see PIECE_CHARS), the bytes
 * being the same as JSON.stringify's text escaped whole would give.
 */
export function asciiJson(value: unknown, pieceChars = PIECE_CHARS): Buffer {
  const pieces: Buffer[] = [];
  let text = '';
  const add = (part: string) => {
    text += part;
    if (text.length < pieceChars) return;
    pieces.push(asciiBytes(text));
    text = '';
  };
  const addArray = (array: readonly unknown[]) => {
    add('[');
    // As JSON.stringify writes an element it cannot represent (undefined, a function): null.
    for (let index = 0; index < array.length; index += 1) add(`${index === 0 ? '' : ','}${JSON.stringify(array[index]) ?? 'null'}`);
    add(']');
  };
  if (Array.isArray(value)) addArray(value);
  else if (isPlainObject(value)) {
    add('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      const json = Array.isArray(member) ? '' : JSON.stringify(member);
      // As JSON.stringify leaves out a member it cannot represent (undefined, a function).
      if (json === undefined) continue;
      add(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (Array.isArray(member)) addArray(member);
      else add(json);
    }
    add('}');
  } else add(JSON.stringify(value) ?? 'null');
  if (text !== '' || pieces.length === 0) pieces.push(asciiBytes(text));
  return pieces.length === 1 ? (pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(pieces);
}

/**
 * An object JSON.stringify writes member by member: one of Object's own, with no toJSON of its
 * own to write it otherwise. (A value below it that has a toJSON is asked with the key '' rather
 * than its own name; Date's, the only one answers hold, does not read it.)
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && !('toJSON' in value);
}

/** JSON text as ASCII bytes: latin1 is exact once nothing is above 0x7F, around the few escapes. */
function asciiBytes(text: string): Buffer {
  const places: number[] = [];
  for (NOT_ASCII.lastIndex = 0; NOT_ASCII.exec(text) !== null; ) places.push(NOT_ASCII.lastIndex - 1);
  if (places.length === 0) return Buffer.from(text, 'latin1');
  // Each escaped unit takes six bytes where it took one character.
  const bytes = Buffer.allocUnsafe(text.length + places.length * 5);
  let written = 0;
  let from = 0;
  for (const place of places) {
    written += bytes.write(text.slice(from, place), written, 'latin1');
    written += bytes.write(`\\u${text.charCodeAt(place).toString(16).padStart(4, '0')}`, written, 'latin1');
    from = place + 1;
  }
  written += bytes.write(text.slice(from), written, 'latin1');
  return bytes.subarray(0, written);
}
