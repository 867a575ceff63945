/**
 * The one strict verifier of custody bundles (shared/trust/custody-bundle.ts), behind every door:
 * `npm run verify`, the app's Supervise > Verify, and the tests. It reads exact bytes, in an
 * order where each step only trusts what an earlier step proved:
 *
 *   zip        the reader's refusals (duplicate names, paths out of the bundle, links, bombs)
 *   keys       org-keys.json: the rotation chain, which must hold the pinned key
 *   manifest   manifest.sig by a trusted key over manifest.json; manifest.json canonical, strict
 *   files      every entry listed with its size and SHA-256, every listed file present, no other
 *   README     regenerated from the manifest, byte for byte
 *   checkpoint signed by a trusted key, for this organisation's log
 *   events     canonical, strict, hash, leaf and inclusion proof, certified device signature,
 *              chain, evidence, listed job (shared/trust/verify-bundle-events.ts)
 *   heads      every item's trail ends at the head the manifest signs
 *
 * With no pin it runs every check against the bundle's own organisation key and answers
 * 'unpinned', never 'intact': a bundle anyone rebuilt with their own key passes those checks.
 */
import { z } from 'zod';
import { canonicalize, type JsonValue } from '../custody/canonical-json';
import type { CustodySubtleCrypto } from '../custody/crypto-port';
import {
  BundleFailure,
  issueField,
  short,
  tamperedAt,
  type BundlePin,
  type BundleProblem,
  type BundleSummary,
  type BundleVerdict,
  type EventSigner,
} from './bundle-verdict';
import { custodyLogOrigin, openCheckpoint, type Checkpoint } from './checkpoint';
import { BundleManifest, bundlePaths, bundleReadme, LogProofEntry, manifestSignatureText, unlistedPaths } from './custody-bundle';
import { checkDeviceCertificate, SignedDeviceCertificate } from './device-certificate';
import { keyInServiceAt, OrgKeyHistory, trustedOrgKeys, type TrustedOrgKey } from './org-key';
import { NoteError, openNote } from './signed-note';
import { parseCanonicalJson, StrictBytesError, strictUtf8 } from './strict-bytes';
import { verifyBundleEvents } from './verify-bundle-events';
import { EVIDENCE_DIRECTORY, type BundleArchive, type BundleEntry } from './zip-limits';

export type { BundlePin, BundleProblem, BundleStatus, BundleSummary, BundleVerdict, EventSigner } from './bundle-verdict';

function document(archive: BundleArchive, path: string): Uint8Array {
  const entry = archive.entries.get(path);
  if (!entry) throw tamperedAt('missing_file', `the bundle has no ${path}`, { file: path });
  if (!entry.bytes) throw new BundleFailure('unreadable', { code: 'damaged', file: path, eventNumber: null, eventId: null, field: null, expected: null, found: null, reason: `${path} was not read whole` });
  return entry.bytes;
}

/** A JSON document that must be RFC 8785 bytes and match its schema exactly, nothing dropped or changed. */
export function strictDocument<T extends z.ZodType>(bytes: Uint8Array, path: string, schema: T): z.infer<T> {
  let raw: JsonValue;
  try {
    raw = parseCanonicalJson(bytes, path);
  } catch (error) {
    throw tamperedAt('not_canonical', `${error instanceof Error ? error.message : String(error)}: it was edited after it was written`, { file: path });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = issueField(parsed.error);
    throw tamperedAt('schema', `${path}${field ? ` field ${field}` : ''}: ${message}`, { file: path, field: field || null });
  }
  if (canonicalize(parsed.data) !== canonicalize(raw)) throw tamperedAt('not_canonical', `${path} holds a value in a second spelling its schema rewrites`, { file: path });
  return parsed.data;
}

function text(bytes: Uint8Array, path: string): string {
  try {
    return strictUtf8(bytes, path);
  } catch (error) {
    throw tamperedAt('not_canonical', error instanceof StrictBytesError ? error.message : `${path} is not UTF-8`, { file: path });
  }
}

function firstDifferentLine(expected: string, found: string): number {
  const a = expected.split('\n');
  const b = found.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) if (a[i] !== b[i]) return i + 1;
  return 0;
}

function uniqueOrFail(values: readonly string[], what: string, file: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw tamperedAt('manifest', `${file} lists ${what} ${value} twice`, { file, found: value });
    seen.add(value);
  }
}

interface Verified {
  history?: OrgKeyHistory;
  manifest?: BundleManifest;
  checkpoint?: Checkpoint;
  signers: EventSigner[];
}

function summaryOf(state: Verified, pin: BundlePin): BundleSummary {
  const { manifest, history, checkpoint } = state;
  return {
    organisation: { id: history?.organisationId ?? null, fingerprint: history?.current.fingerprint ?? null, pinned: pin?.fingerprint ?? null },
    generatedAt: manifest?.generatedAt ?? null,
    generatedBy: manifest?.generatedBy ?? null,
    jobs: manifest?.jobs ?? [],
    events: state.signers.length,
    items: manifest?.items.length ?? 0,
    checkpoint: checkpoint ? { size: checkpoint.size, time: checkpoint.time } : null,
    signers: state.signers,
    evidenceNotHeld: manifest?.evidenceNotHeld ?? [],
  };
}

export async function verifyCustodyBundle(subtle: CustodySubtleCrypto, archive: BundleArchive, pin: BundlePin): Promise<BundleVerdict> {
  const checks: string[] = [];
  const state: Verified = { signers: [] };
  try {
    await runChecks(subtle, archive, pin, checks, state);
  } catch (error) {
    const failure = error instanceof BundleFailure ? error : new BundleFailure('unreadable', { code: 'damaged', file: null, eventNumber: null, eventId: null, field: null, expected: null, found: null, reason: `the verifier could not read the bundle: ${error instanceof Error ? error.message : String(error)}` });
    return { status: failure.status, checks, problem: failure.problem, summary: summaryOf({ ...state, signers: [] }, pin) };
  }
  return { status: pin ? 'intact' : 'unpinned', checks, problem: null, summary: summaryOf(state, pin) };
}

async function runChecks(subtle: CustodySubtleCrypto, archive: BundleArchive, pin: BundlePin, checks: string[], state: Verified): Promise<void> {
  if (archive.refusal) {
    const { refusal } = archive;
    throw new BundleFailure(refusal.status, { code: refusal.code, file: refusal.entry, eventNumber: null, eventId: null, field: null, expected: null, found: null, reason: refusal.reason });
  }
  checks.push(`zip: ${archive.entries.size} entries read within the limits; no duplicate names, paths outside the bundle, links or bombs`);

  // Keys first: nothing below is worth reading until we know whose signatures count.
  const history = strictDocument(document(archive, bundlePaths.orgKeys), bundlePaths.orgKeys, OrgKeyHistory);
  state.history = history;
  let trusted: TrustedOrgKey[];
  try {
    trusted = await trustedOrgKeys(subtle, history.current.fingerprint, history);
  } catch (error) {
    throw tamperedAt('org_keys', `${bundlePaths.orgKeys}: ${error instanceof Error ? error.message : String(error)}`, { file: bundlePaths.orgKeys });
  }
  if (pin && !trusted.some((key) => key.fingerprint === pin.fingerprint)) {
    throw tamperedAt(
      'foreign_organisation',
      `the bundle is signed by organisation key ${history.current.fingerprint}, whose rotation chain does not include the pinned key ${pin.fingerprint}: it is another organisation's record, or it was rebuilt and re-signed by someone else`,
      { file: bundlePaths.orgKeys, field: 'current.fingerprint', expected: pin.fingerprint, found: history.current.fingerprint },
    );
  }
  checks.push(
    pin
      ? `${bundlePaths.orgKeys}: a chain of ${trusted.length} organisation key${trusted.length === 1 ? '' : 's'} that includes the pinned key ${pin.fingerprint}`
      : `${bundlePaths.orgKeys}: a chain of ${trusted.length} organisation key${trusted.length === 1 ? '' : 's'} ending at ${history.current.fingerprint}; NO organisation was pinned, so every signature below is checked against the bundle's own key only`,
  );

  const manifestBytes = document(archive, bundlePaths.manifest);
  const signatureNote = text(document(archive, bundlePaths.manifestSignature), bundlePaths.manifestSignature);
  let manifestSigner: TrustedOrgKey;
  let signedText: string;
  try {
    const opened = await openNote(subtle, signatureNote, trusted);
    const signer = opened.signatures[0]?.verifier;
    if (!signer) throw new NoteError(`the manifest is not signed by ${pin ? 'the pinned organisation' : "the bundle's own organisation key"}`);
    // The bundle's signature file has one reading: one signature, by the organisation. A second
    // line from anyone else would be bytes no signature covers.
    if (opened.signatures.length !== 1) throw new NoteError(`it carries ${opened.signatures.length} signatures; a bundle manifest carries exactly one, by the organisation key`);
    manifestSigner = signer as TrustedOrgKey;
    signedText = opened.text;
  } catch (error) {
    throw tamperedAt('manifest_signature', `${bundlePaths.manifestSignature}: ${error instanceof Error ? error.message : String(error)}`, { file: bundlePaths.manifestSignature });
  }
  const expectedText = manifestSignatureText(manifestBytes);
  if (signedText !== expectedText) {
    throw tamperedAt('manifest_signature', `${bundlePaths.manifestSignature} signs a manifest with SHA-256 ${signedText.split('\n')[1] ?? '?'}, but manifest.json hashes to ${expectedText.split('\n')[1]}: manifest.json was changed or swapped after it was signed`, {
      file: bundlePaths.manifest,
      expected: signedText.split('\n')[1] ?? null,
      found: expectedText.split('\n')[1] ?? null,
    });
  }
  const manifest = strictDocument(manifestBytes, bundlePaths.manifest, BundleManifest);
  state.manifest = manifest;
  if (!keyInServiceAt(manifestSigner, manifest.generatedAt)) {
    throw tamperedAt('manifest_signature', `the manifest says it was made ${manifest.generatedAt}, when the key that signed it (${manifestSigner.fingerprint}) was not in service`, { file: bundlePaths.manifestSignature, field: 'generatedAt' });
  }
  const organisation = { id: history.organisationId, fingerprint: history.current.fingerprint, publicKey: history.current.publicKey };
  for (const field of ['id', 'fingerprint', 'publicKey'] as const) {
    if (manifest.organisation[field] !== organisation[field]) {
      throw tamperedAt('manifest', `the manifest names organisation ${field} ${manifest.organisation[field]}, but org-keys.json says ${organisation[field]}`, { file: bundlePaths.manifest, field: `organisation.${field}`, expected: organisation[field], found: manifest.organisation[field] });
    }
  }
  uniqueOrFail(manifest.jobs.map((job) => job.id), 'job', bundlePaths.manifest);
  uniqueOrFail(manifest.items.map((item) => item.itemId), 'item', bundlePaths.manifest);
  uniqueOrFail(manifest.files.map((file) => file.path), 'file', bundlePaths.manifest);
  uniqueOrFail(manifest.evidenceNotHeld, 'missing evidence', bundlePaths.manifest);
  const jobIds = new Set(manifest.jobs.map((job) => job.id));
  for (const [index, item] of manifest.items.entries()) {
    if (!jobIds.has(item.jobId)) throw tamperedAt('manifest', `item ${item.serial} is on job ${item.jobId}, which the manifest does not list`, { file: bundlePaths.manifest, field: `items.${index}.jobId`, found: item.jobId });
  }
  checks.push(`${bundlePaths.manifestSignature}: manifest.json (SHA-256 ${short(expectedText.split('\n')[1] ?? '')}) signed by organisation key ${manifestSigner.fingerprint}, in service at ${manifest.generatedAt}`);
  checks.push(`${bundlePaths.manifest}: RFC 8785 bytes, no unknown fields; ${manifest.jobs.length} job(s), ${manifest.items.length} item(s), exported by ${manifest.generatedBy.name}`);

  checkFiles(archive, manifest);
  checks.push(`files: all ${manifest.files.length} listed files present with their size and SHA-256; nothing else in the zip`);

  const readme = bundleReadme(manifest);
  const readmeText = text(document(archive, bundlePaths.readme), bundlePaths.readme);
  if (readmeText !== readme) {
    const line = firstDifferentLine(readme, readmeText);
    throw tamperedAt('readme', `README.txt differs from the text the manifest generates, first at line ${line}`, { file: bundlePaths.readme, field: `line ${line}` });
  }
  checks.push('README.txt: exactly the text generated from the signed manifest');

  let checkpoint: Checkpoint;
  let checkpointSigner: TrustedOrgKey;
  try {
    const opened = await openCheckpoint(subtle, manifest.checkpoint, trusted, custodyLogOrigin(history.organisationId));
    checkpoint = opened.checkpoint;
    checkpointSigner = opened.signer as TrustedOrgKey;
  } catch (error) {
    throw tamperedAt('checkpoint', `the checkpoint in manifest.json: ${error instanceof Error ? error.message : String(error)}`, { file: bundlePaths.manifest, field: 'checkpoint' });
  }
  if (!keyInServiceAt(checkpointSigner, checkpoint.time)) {
    throw tamperedAt('checkpoint', `the checkpoint is dated ${checkpoint.time}, when the key that signed it was not in service`, { file: bundlePaths.manifest, field: 'checkpoint' });
  }
  if (Date.parse(checkpoint.time) > Date.parse(manifest.generatedAt)) {
    throw tamperedAt('checkpoint', `the checkpoint is dated ${checkpoint.time}, after the export it is part of (${manifest.generatedAt})`, { file: bundlePaths.manifest, field: 'checkpoint' });
  }
  state.checkpoint = checkpoint;
  checks.push(`checkpoint: log ${checkpoint.origin} at size ${checkpoint.size}, signed ${checkpoint.time} by organisation key ${checkpointSigner.fingerprint}`);

  const certificates = strictDocument(document(archive, bundlePaths.certificates), bundlePaths.certificates, z.array(SignedDeviceCertificate));
  uniqueOrFail(certificates.map((signed) => signed.certificate.serial), 'certificate', bundlePaths.certificates);
  for (const [index, signed] of certificates.entries()) {
    const problem = await checkDeviceCertificate(subtle, signed, trusted);
    if (problem) throw tamperedAt('certificate', `${bundlePaths.certificates} entry ${index + 1}: ${problem}`, { file: bundlePaths.certificates, field: `${index}`, found: signed.certificate.serial });
  }
  checks.push(`${bundlePaths.certificates}: ${certificates.length} device certificate(s), each signed by an organisation key in service when issued`);

  const proofs = strictDocument(document(archive, bundlePaths.logProofs), bundlePaths.logProofs, z.array(LogProofEntry));
  const signers = await verifyBundleEvents(subtle, {
    eventsBytes: document(archive, bundlePaths.events),
    manifest,
    proofs,
    certificates,
    checkpoint,
    evidence: archive.entries,
  });
  state.signers = signers;
  checks.push(`events.json: ${signers.length} event(s), each in RFC 8785 bytes with no unknown field, its hash recomputed, signed by a device key certified for its device and recorder when the log accepted it, continuing each item's chain, its photos and signatures present, included in the checkpoint, on a listed job`);
  checks.push(`heads: each of ${manifest.items.length} item(s) ends exactly at the event count and last hash the manifest signs`);
}

function checkFiles(archive: BundleArchive, manifest: BundleManifest): void {
  const listed = new Map(manifest.files.map((file) => [file.path, file]));
  for (const required of [bundlePaths.readme, bundlePaths.orgKeys, bundlePaths.certificates, bundlePaths.events, bundlePaths.logProofs]) {
    if (!listed.has(required)) throw tamperedAt('manifest', `the manifest does not list ${required}`, { file: bundlePaths.manifest, field: 'files', expected: required });
  }
  for (const [index, file] of manifest.files.entries()) {
    if (unlistedPaths.has(file.path)) throw tamperedAt('manifest', `the manifest lists ${file.path}, which cannot cover itself`, { file: bundlePaths.manifest, field: `files.${index}` });
    if (file.path.startsWith(EVIDENCE_DIRECTORY) && file.path !== bundlePaths.evidence(file.sha256)) {
      throw tamperedAt('manifest', `the manifest lists ${file.path} with SHA-256 ${file.sha256}; evidence is stored under its own hash`, { file: bundlePaths.manifest, field: `files.${index}` });
    }
    const entry: BundleEntry | undefined = archive.entries.get(file.path);
    if (!entry) throw tamperedAt('missing_file', `${file.path} is listed in the signed manifest but is not in the zip: it was removed`, { file: file.path, expected: file.sha256 });
    if (entry.size !== file.size) throw tamperedAt('file_changed', `${file.path} is ${entry.size} bytes; the signed manifest lists ${file.size}: it was changed`, { file: file.path, expected: String(file.size), found: String(entry.size) });
    if (entry.sha256 !== file.sha256) throw tamperedAt('file_changed', `${file.path} hashes to ${entry.sha256}; the signed manifest lists ${file.sha256}: it was changed`, { file: file.path, expected: file.sha256, found: entry.sha256 });
  }
  for (const path of archive.entries.keys()) {
    if (unlistedPaths.has(path) || path === EVIDENCE_DIRECTORY) continue;
    if (!listed.has(path)) throw tamperedAt('unlisted_file', `${path} is in the zip but not in the signed manifest: it was added`, { file: path });
  }
}
