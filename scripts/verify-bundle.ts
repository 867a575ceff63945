/**
 * Verifies a Reclaim custody bundle, or a signed custody report (PDF) with the bundle it carries,
 * against the organisation a stranger pins, with no server:
 *
 *   npm run verify -- <bundle.zip|report.pdf> --org-key <fingerprint | public key file>
 *
 * --org-key takes the fingerprint (64 hex digits, as Admin and every README show it) or a file
 * holding the public key: 32 raw bytes, its base64, or the JSON answer of
 * GET /api/v1/org/signing-key.
 *
 * Exit codes: 0 intact against the pinned organisation; 1 tampered (what and where is printed);
 * 2 unreadable (not a bundle, damaged, over the limits) or a bad argument; 3 no --org-key: every
 * check that needs no pin was run, nothing ties the record to an organisation, never "INTACT".
 */
import { webcrypto } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { fromBase64Url } from '../shared/custody/crypto-port';
import type { BundlePin, BundleVerdict, EventSigner } from '../shared/trust/bundle-verdict';
import { orgKeyFingerprint } from '../shared/trust/org-key';
import { fromBase64, strictUtf8 } from '../shared/trust/strict-bytes';
import { verifyCustodyBundle } from '../shared/trust/verify-bundle';
import { MAX_BUNDLE_FILE_BYTES } from '../shared/trust/zip-limits';
import { readBundleZipBytes, readBundleZipFile } from './bundle-zip-reader';

export const exitCodes = { intact: 0, tampered: 1, unreadable: 2, unpinned: 3 } as const;

const usage = 'usage: npm run verify -- <bundle.zip|report.pdf> --org-key <fingerprint or public key file>\n';

export class PinError extends Error {
  override readonly name = 'PinError';
}

const SigningKeyAnswer = z.object({ publicKey: z.string(), fingerprint: z.string().optional() });

function pinFromKey(publicKey: Uint8Array, from: string): BundlePin {
  if (publicKey.length !== 32) throw new PinError(`${from} is not a 32-byte Ed25519 public key`);
  return { fingerprint: orgKeyFingerprint(publicKey) };
}

/** The organisation a user pins: a fingerprint, or a key from which the fingerprint is taken. */
export async function resolvePin(value: string): Promise<BundlePin> {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return { fingerprint: trimmed.toLowerCase() };
  if (!existsSync(trimmed)) {
    try {
      return pinFromKey(fromBase64(trimmed, 'the key'), 'the --org-key value');
    } catch {
      throw new PinError(`--org-key ${JSON.stringify(value)} is neither a fingerprint (64 hex digits), a base64 public key, nor a file`);
    }
  }
  const bytes = new Uint8Array(await readFile(trimmed));
  if (bytes.length === 32) return pinFromKey(bytes, trimmed);
  let text: string;
  try {
    text = strictUtf8(bytes, trimmed).trim();
  } catch {
    throw new PinError(`${trimmed} is neither 32 raw key bytes nor text`);
  }
  if (/^[0-9a-fA-F]{64}$/.test(text)) return { fingerprint: text.toLowerCase() };
  if (text.startsWith('{')) {
    let answer: z.infer<typeof SigningKeyAnswer>;
    try {
      answer = SigningKeyAnswer.parse(JSON.parse(text));
    } catch {
      throw new PinError(`${trimmed} is JSON but not the answer of GET /api/v1/org/signing-key`);
    }
    const pin = pinFromKey(fromBase64(answer.publicKey, `the publicKey in ${trimmed}`), trimmed);
    if (answer.fingerprint !== undefined && answer.fingerprint !== pin?.fingerprint) throw new PinError(`${trimmed} names fingerprint ${answer.fingerprint}, but its key's fingerprint is ${pin?.fingerprint}`);
    return pin;
  }
  try {
    return pinFromKey(fromBase64(text, 'the key'), trimmed);
  } catch {
    try {
      return pinFromKey(fromBase64Url(text), trimmed);
    } catch {
      throw new PinError(`${trimmed} holds neither a fingerprint, a base64 key, nor the JSON of GET /api/v1/org/signing-key`);
    }
  }
}

async function kindOf(path: string): Promise<'pdf' | 'zip' | 'other'> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(5);
    await handle.read(head, 0, 5, 0);
    const text = String.fromCharCode(...head);
    return text === '%PDF-' ? 'pdf' : text.startsWith('PK') ? 'zip' : 'other';
  } finally {
    await handle.close();
  }
}

/** Verifies a file against a pin; the same shared verifier the app runs. */
export async function verifyPath(path: string, pin: BundlePin): Promise<BundleVerdict> {
  const subtle = webcrypto.subtle;
  if ((await kindOf(path)) === 'pdf') {
    const { size } = await stat(path);
    if (size > MAX_BUNDLE_FILE_BYTES * 2) return verifyCustodyBundle(subtle, { entries: new Map(), refusal: { code: 'file_too_large', status: 'unreadable', entry: null, reason: `the PDF is ${size} bytes, more than a custody report can be` } }, pin);
    // Loaded only for reports: the PDF and CMS libraries are most of the command's start-up.
    const { verifyCustodyReport } = await import('../shared/trust/verify-report');
    return verifyCustodyReport(subtle, new Uint8Array(await readFile(path)), pin, (bytes) => readBundleZipBytes(bytes));
  }
  return verifyCustodyBundle(subtle, await readBundleZipFile(path), pin);
}

function signerLines(signers: readonly EventSigner[]): string[] {
  const groups = new Map<string, { signer: EventSigner; events: number[] }>();
  for (const signer of signers) {
    const key = `${signer.userId} ${signer.deviceKeyId}`;
    const group = groups.get(key) ?? { signer, events: [] };
    group.events.push(signer.eventNumber);
    groups.set(key, group);
  }
  const lines = [...groups.values()].map(({ signer, events }) => `  ${signer.displayName} (${signer.userName}, ${signer.role}) on device ${signer.deviceId}, key ${signer.deviceKeyId}, certificate ${signer.certificateSerial}: ${events.length} event(s)`);
  if (signers.length <= 100) {
    lines.push('  Each event (device time / log time):');
    for (const signer of signers) lines.push(`    #${signer.eventNumber} ${signer.kind} ${signer.at} / ${signer.loggedAt} by ${signer.userName} on ${signer.deviceId}`);
  }
  return lines;
}

/** The report a person reads: the verdict first, then what and where, then what was checked. */
export function describeVerdict(verdict: BundleVerdict): string {
  const { summary, problem } = verdict;
  const lines: string[] = [];
  if (verdict.status === 'intact') {
    lines.push(`INTACT: every check holds against the pinned organisation key ${summary.organisation.pinned}.`);
  } else if (verdict.status === 'unpinned') {
    lines.push('NOT PINNED: no organisation was pinned, so nothing here ties this record to an organisation. It is NOT verified.');
    lines.push(`The record is consistent with organisation key ${summary.organisation.fingerprint} (organisation ${summary.organisation.id}).`);
    lines.push('Get the organisation\'s fingerprint from someone you trust there (Admin shows it), then run again with --org-key <fingerprint>.');
  } else {
    lines.push(`${verdict.status === 'tampered' ? 'TAMPERED' : 'UNREADABLE'}: ${problem?.reason ?? 'the record does not verify'}`);
    if (problem) {
      lines.push(`  check:    ${problem.code}`);
      if (problem.file) lines.push(`  file:     ${problem.file}`);
      if (problem.eventNumber !== null) lines.push(`  event:    ${problem.eventNumber}${problem.eventId ? ` (${problem.eventId})` : ''}`);
      if (problem.field) lines.push(`  field:    ${problem.field}`);
      if (problem.expected !== null) lines.push(`  expected: ${problem.expected}`);
      if (problem.found !== null) lines.push(`  found:    ${problem.found}`);
    }
  }
  if (verdict.status === 'intact' || verdict.status === 'unpinned') {
    lines.push(`Organisation ${summary.organisation.id}, key ${summary.organisation.fingerprint}`);
    if (summary.generatedBy) lines.push(`Exported ${summary.generatedAt} by ${summary.generatedBy.name} (${summary.generatedBy.role})`);
    if (summary.jobs.length > 0) lines.push(`Jobs: ${summary.jobs.map((job) => `${job.accountRef} (${job.timeZone})`).join(', ')}`);
    if (summary.checkpoint) lines.push(`Custody log checkpoint: size ${summary.checkpoint.size}, signed ${summary.checkpoint.time}`);
    lines.push(`Events: ${summary.events} on ${summary.items} item(s). Signed by:`);
    lines.push(...signerLines(summary.signers));
    if (summary.evidenceNotHeld.length > 0) lines.push(`Photos or signatures the organisation did not hold at export: ${summary.evidenceNotHeld.length} (${summary.evidenceNotHeld.join(', ')})`);
  }
  lines.push(verdict.status === 'tampered' || verdict.status === 'unreadable' ? 'Checked and held before that:' : 'Checked:');
  for (const check of verdict.checks) lines.push(`  - ${check}`);
  return `${lines.join('\n')}\n`;
}

export async function verifyCommand(argv: readonly string[], write: (text: string) => void): Promise<number> {
  let file: string | null = null;
  let orgKey: string | null = null;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--org-key') orgKey = argv[(i += 1)] ?? '';
    else if (arg.startsWith('--org-key=')) orgKey = arg.slice('--org-key='.length);
    else if (arg.startsWith('-')) {
      write(`unknown option ${arg}\n${usage}`);
      return exitCodes.unreadable;
    } else if (file === null) file = arg;
    else {
      write(`one file at a time\n${usage}`);
      return exitCodes.unreadable;
    }
  }
  if (file === null || orgKey === '') {
    write(usage);
    return exitCodes.unreadable;
  }
  if (!existsSync(file)) {
    write(`UNREADABLE: ${file} does not exist\n`);
    return exitCodes.unreadable;
  }
  let pin: BundlePin = null;
  if (orgKey !== null) {
    try {
      pin = await resolvePin(orgKey);
    } catch (error) {
      write(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
      return exitCodes.unreadable;
    }
  }
  const verdict = await verifyPath(file, pin);
  write(describeVerdict(verdict));
  return exitCodes[verdict.status];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  verifyCommand(process.argv.slice(2), (text) => process.stdout.write(text)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stdout.write(`UNREADABLE: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(exitCodes.unreadable);
    },
  );
}
