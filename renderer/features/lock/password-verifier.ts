/**
 * The idle lock checks the password offline against a PBKDF2 hash made at sign-in. Only the
 * hash and its salt are stored; the password never is. 600,000 iterations of SHA-256 is
 * OWASP's current advice for PBKDF2: a stolen laptop's database does not give the password up
 * to a quick guessing run.
 */
export interface PasswordVerifier {
  readonly algorithm: 'PBKDF2-SHA-256';
  readonly iterations: number;
  readonly salt: string;
  readonly hash: string;
}

export const DEFAULT_ITERATIONS = 600_000;

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function createVerifier(password: string, iterations = DEFAULT_ITERATIONS): Promise<PasswordVerifier> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return { algorithm: 'PBKDF2-SHA-256', iterations, salt: toBase64(salt), hash: toBase64(hash) };
}

export async function passwordMatches(password: string, verifier: PasswordVerifier): Promise<boolean> {
  const expected = fromBase64(verifier.hash);
  const actual = await derive(password, fromBase64(verifier.salt), verifier.iterations);
  if (actual.length !== expected.length) return false;
  // Compare every byte so the time taken does not say how much of the hash matched.
  let difference = 0;
  for (let i = 0; i < actual.length; i += 1) difference |= (actual[i] ?? 0) ^ (expected[i] ?? 0);
  return difference === 0;
}

/** After a few wrong tries each further one waits longer: 2 s, 4 s, … up to a minute. */
export function unlockDelayMs(failures: number): number {
  const past = failures - 3;
  return past <= 0 ? 0 : Math.min(1000 * 2 ** past, 60_000);
}
