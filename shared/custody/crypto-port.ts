/**
 * The slice of WebCrypto custody hashing needs. shared/ compiles without DOM or Node types, so
 * it names the functions structurally; the app passes `crypto.subtle` from Chromium, the server
 * `globalThis.crypto.subtle` from Node. Both implement Ed25519 (RFC 8032) natively.
 */
export interface CryptoKeyHandle {
  readonly type: string;
}

export interface Ed25519Algorithm {
  readonly name: 'Ed25519';
}

export interface CustodySubtleCrypto {
  digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  importKey(
    format: 'raw',
    keyData: Uint8Array<ArrayBuffer>,
    algorithm: Ed25519Algorithm,
    extractable: boolean,
    keyUsages: ['verify'],
  ): Promise<CryptoKeyHandle>;
  sign(algorithm: Ed25519Algorithm, key: CryptoKeyHandle, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  verify(algorithm: Ed25519Algorithm, key: CryptoKeyHandle, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
}

export const ed25519: Ed25519Algorithm = { name: 'Ed25519' };

export async function sha256Hex(subtle: CustodySubtleCrypto, bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error('not lower-case hex');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

const base64urlAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url (RFC 4648 section 5): keys and signatures travel as JSON text. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j += 1) out += base64urlAlphabet[(triple >> (18 - 6 * j)) & 63];
  }
  return out;
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('not unpadded base64url');
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    buffer = (buffer << 6) | base64urlAlphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index] = (buffer >> bits) & 0xff;
      index += 1;
    }
  }
  // Bits left over past the last byte must be zero: otherwise one value has many spellings,
  // and a signature or key could be "changed" without changing what it decodes to.
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new Error('not canonical base64url: bits are set past the last byte');
  return bytes;
}
