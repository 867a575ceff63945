/** UTF-8 bytes to text; shared/ has no TextDecoder (no DOM, no Node). Bad sequences become U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const a = bytes[i] ?? 0;
    let code = 0xfffd;
    let size = 1;
    if (a < 0x80) code = a;
    else if (a >= 0xc2 && a < 0xe0 && i + 1 < bytes.length) {
      code = ((a & 0x1f) << 6) | ((bytes[i + 1] ?? 0) & 0x3f);
      size = 2;
    } else if (a >= 0xe0 && a < 0xf0 && i + 2 < bytes.length) {
      code = ((a & 0x0f) << 12) | (((bytes[i + 1] ?? 0) & 0x3f) << 6) | ((bytes[i + 2] ?? 0) & 0x3f);
      size = 3;
    } else if (a >= 0xf0 && a < 0xf5 && i + 3 < bytes.length) {
      code = ((a & 0x07) << 18) | (((bytes[i + 1] ?? 0) & 0x3f) << 12) | (((bytes[i + 2] ?? 0) & 0x3f) << 6) | ((bytes[i + 3] ?? 0) & 0x3f);
      size = 4;
    }
    out += String.fromCodePoint(code);
    i += size;
  }
  return out;
}
