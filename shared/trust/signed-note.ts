/**
 * Signed notes in the C2SP grammar (c2sp.org/signed-note, as Go's golang.org/x/mod/sumdb/note):
 *
 *   <text, one or more lines, each ending in \n>
 *   \n
 *   — <key name> <base64(key id (4 bytes) || Ed25519 signature (64 bytes))>\n
 *   …
 *
 * Plain text, so a checkpoint can be printed on a PDF, diffed, and checked by hand. The reader
 * accepts exactly this grammar: a stray space, a missing newline or a second spelling of the
 * base64 is refused, never repaired.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519, type CustodySubtleCrypto } from '../custody/crypto-port';
import { fromBase64, StrictBytesError, toBase64, utf8 } from './strict-bytes';

const ED25519_ALGORITHM = 1;
const SIGNATURE_PREFIX = '\u2014 ';

export class NoteError extends Error {
  override readonly name = 'NoteError';
}

export interface NoteSigner {
  /** The key's name: no whitespace, no '+'. */
  readonly name: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array<ArrayBuffer>): Promise<Uint8Array>;
}

export interface NoteVerifier {
  readonly name: string;
  readonly publicKey: Uint8Array;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The verifier whose key made it, when one of the given verifiers did. */
  readonly verifier: NoteVerifier | null;
}

export interface OpenedNote {
  readonly text: string;
  /** Signatures by the given verifiers, each checked. Unknown signers are listed with verifier null. */
  readonly signatures: readonly NoteSignature[];
}

function assertKeyName(name: string): void {
  if (!/^[^\s+]+$/u.test(name)) throw new NoteError(`"${name}" is not a valid note key name (no spaces, no '+')`);
}

/** The 4-byte key id: the first bytes of SHA-256(name || "\n" || 0x01 || public key), big-endian. */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const nameBytes = utf8(`${name}\n`);
  const input = new Uint8Array(nameBytes.length + 1 + publicKey.length);
  input.set(nameBytes);
  input[nameBytes.length] = ED25519_ALGORITHM;
  input.set(publicKey, nameBytes.length + 1);
  const hash = sha256(input);
  return (((hash[0] ?? 0) << 24) | ((hash[1] ?? 0) << 16) | ((hash[2] ?? 0) << 8) | (hash[3] ?? 0)) >>> 0;
}

function assertNoteText(text: string): void {
  if (text === '' || !text.endsWith('\n')) throw new NoteError('a note text must end with a newline');
  if (text.includes('\n\n')) throw new NoteError('a note text must not contain a blank line');
  // Newlines are the grammar; every other control character is refused.
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw new NoteError('a note text must not contain control characters');
}

export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  assertNoteText(text);
  if (signers.length === 0) throw new NoteError('a note needs at least one signer');
  const message = utf8(text);
  const lines: string[] = [];
  for (const signer of signers) {
    assertKeyName(signer.name);
    const signature = await signer.sign(message);
    const body = new Uint8Array(4 + signature.length);
    new DataView(body.buffer).setUint32(0, noteKeyId(signer.name, signer.publicKey));
    body.set(signature, 4);
    lines.push(`${SIGNATURE_PREFIX}${signer.name} ${toBase64(body)}\n`);
  }
  return `${text}\n${lines.join('')}`;
}

/**
 * Reads a signed note and checks every signature whose key is given. A known key's signature
 * that does not verify is an error (the note was changed); it is not enough to ignore it. The
 * caller decides which signers it needs (see requireSigner).
 */
export async function openNote(subtle: CustodySubtleCrypto, note: string, verifiers: readonly NoteVerifier[]): Promise<OpenedNote> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('the note has no signature block');
  const text = note.slice(0, split + 1);
  assertNoteText(text);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new NoteError('the signature block must end with a newline');
  const message = utf8(text);
  const signatures: NoteSignature[] = [];
  for (const line of block.slice(0, -1).split('\n')) {
    const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/u.exec(line);
    if (!match) throw new NoteError(`a signature line is malformed: ${JSON.stringify(line.slice(0, 80))}`);
    const [, name = '', encoded = ''] = match;
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = fromBase64(encoded, `the signature of ${name}`);
    } catch (error) {
      throw new NoteError(error instanceof StrictBytesError ? error.message : String(error));
    }
    if (body.length !== 4 + 64) throw new NoteError(`the signature of ${name} is not an Ed25519 signature`);
    const keyId = new DataView(body.buffer).getUint32(0);
    const verifier = verifiers.find((candidate) => candidate.name === name && noteKeyId(candidate.name, candidate.publicKey) === keyId) ?? null;
    if (verifier) {
      const key = await subtle.importKey('raw', new Uint8Array(verifier.publicKey), ed25519, false, ['verify']);
      if (!(await subtle.verify(ed25519, key, body.slice(4), message))) throw new NoteError(`the signature of ${name} does not verify: the note was changed after it was signed`);
    }
    if (signatures.some((seen) => seen.name === name && seen.keyId === keyId)) throw new NoteError(`${name} signed the note twice`);
    signatures.push({ name, keyId, verifier });
  }
  return { text, signatures };
}

/** The note's text, when one of the given verifiers signed it; otherwise an error naming who must. */
export async function openNoteSignedBy(subtle: CustodySubtleCrypto, note: string, verifiers: readonly NoteVerifier[], what: string): Promise<{ text: string; signer: NoteVerifier }> {
  const opened = await openNote(subtle, note, verifiers);
  const signer = opened.signatures.find((signature) => signature.verifier !== null)?.verifier;
  if (!signer) throw new NoteError(`${what} is not signed by ${verifiers.length === 1 ? `the key ${verifiers[0]?.name}` : 'any trusted key'}`);
  return { text: opened.text, signer };
}
