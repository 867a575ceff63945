/**
 * The event walk of the bundle verifier: every event of events.json, in log order, against its
 * own bytes, its log leaf, the certificate of the key that signed it, its item chains and its
 * evidence; then every item's trail against the head the manifest signs. The first event that
 * does not hold is named by number, id and field.
 */
import { canonicalize, utf8, type JsonValue } from '../custody/canonical-json';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519, fromBase64Url, fromHex, toHex, type CryptoKeyHandle, type CustodySubtleCrypto } from '../custody/crypto-port';
import { StrictCustodyEvent, type CustodyEvent } from '../custody/custody-event';
import { chainBreak } from '../custody/verify-chain';
import { BundleFailure, issueField, short, tamperedAt, type EventSigner } from './bundle-verdict';
import type { Checkpoint } from './checkpoint';
import { bundlePaths, type BundleManifest, type LogProofEntry } from './custody-bundle';
import { certificateCovers, type DeviceCertificateBody, type SignedDeviceCertificate } from './device-certificate';
import { logLeafBytes, type LogLeaf } from './log-leaf';
import { checkRecord, recordHash } from './merkle-log';
import { parseCanonicalJson } from './strict-bytes';
import type { BundleEntry } from './zip-limits';

export interface BundleEventsInput {
  readonly eventsBytes: Uint8Array;
  readonly manifest: BundleManifest;
  readonly proofs: readonly LogProofEntry[];
  readonly certificates: readonly SignedDeviceCertificate[];
  readonly checkpoint: Checkpoint;
  readonly evidence: ReadonlyMap<string, BundleEntry>;
}

const file = bundlePaths.events;
/** Signature checks handed to WebCrypto before waiting for their answers. */
const SIGNATURES_IN_FLIGHT = 256;

/** The certificate of each key: certificates.json holds exactly one per key, its newest revision. */
function certificateByKey(certificates: readonly SignedDeviceCertificate[]): Map<string, DeviceCertificateBody> {
  const byKey = new Map<string, DeviceCertificateBody>();
  for (const [index, { certificate }] of certificates.entries()) {
    if (byKey.has(certificate.deviceKeyId)) {
      throw tamperedAt('certificate', `${bundlePaths.certificates} holds two certificates for device key ${certificate.deviceKeyId}; a bundle carries only its current one`, { file: bundlePaths.certificates, field: `${index}`, found: certificate.serial });
    }
    byKey.set(certificate.deviceKeyId, certificate);
  }
  return byKey;
}

/** Whether a schema handed back exactly the value it was given (nothing trimmed, dropped or coerced). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, index) => sameJson(value, b[index]));
  const left = a as { readonly [key: string]: unknown };
  const right = b as { readonly [key: string]: unknown };
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

/** Which top-level field of an event a lenient parser would have rewritten (trimmed, dropped). */
function rewrittenField(raw: JsonValue, parsed: CustodyEvent): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '';
  const record = raw as { readonly [key: string]: JsonValue };
  const fields = parsed as unknown as { readonly [key: string]: unknown };
  for (const key of Object.keys(record)) if (canonicalize(record[key]) !== canonicalize(fields[key])) return key;
  return '';
}

type Place = { readonly file: string; readonly eventNumber: number; readonly eventId: string };

/** The event exactly as signed: strict schema, nothing a schema would rewrite, its hash from its own bytes. */
function checkEventBytes(raw: JsonValue, eventNumber: number): CustodyEvent {
  const parsed = StrictCustodyEvent.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = issueField(parsed.error);
    throw tamperedAt('event_schema', `event ${eventNumber}${field ? `, field ${field}` : ''}: ${message}; a signed event carries exactly its signed fields`, { file, eventNumber, eventId: idOf(raw), field: field || null });
  }
  const event = parsed.data;
  const at = { file, eventNumber, eventId: event.id };
  if (!sameJson(event, raw)) {
    const rewritten = rewrittenField(raw, event);
    throw tamperedAt('event_schema', `event ${eventNumber} (${event.kind}), field ${rewritten || '?'}: its value is not in its one written form (surrounding spaces, a second spelling)`, { ...at, field: rewritten || null });
  }
  const { hash: _hash, signature: _signature, ...content } = raw as { readonly [key: string]: JsonValue };
  // Hashed from the bytes as read, never from a parsed copy a schema could have normalised.
  const recomputed = toHex(sha256(utf8(canonicalize(content))));
  if (recomputed !== event.hash) {
    throw tamperedAt('event_hash', `event ${eventNumber} (${event.kind}): its content hashes to ${short(recomputed)}, not the recorded ${short(event.hash)}: it was changed after it was signed`, { ...at, field: 'hash', expected: event.hash, found: recomputed });
  }
  return event;
}

/** The event's log leaf: the same event, after the one before it in the log, included in the checkpoint. */
function checkLeaf(event: CustodyEvent, proof: LogProofEntry | undefined, previousLeafIndex: number, checkpoint: Checkpoint, at: Place): { leaf: LogLeaf; leafIndex: number } {
  const where = { ...at, file: bundlePaths.logProofs };
  const what = `event ${at.eventNumber} (${event.kind})`;
  if (!proof || proof.eventId !== event.id) throw tamperedAt('log_leaf', `${what} has no log proof at its position in ${bundlePaths.logProofs}: events were reordered, added or removed`, { ...where, expected: event.id, found: proof?.eventId ?? null });
  const leaf = proof.leaf;
  for (const [field, expected] of [['eventId', event.id], ['eventHash', event.hash], ['jobId', event.jobId], ['deviceKeyId', event.deviceKeyId]] as const) {
    if (leaf[field] !== expected) throw tamperedAt('log_leaf', `${what}: its log leaf names ${field} ${leaf[field]}, the event ${expected}`, { ...where, field: `leaf.${field}`, expected, found: leaf[field] });
  }
  if (proof.leafIndex <= previousLeafIndex) throw tamperedAt('log_leaf', `${what} is at log position ${proof.leafIndex}, not after the event before it (${previousLeafIndex}): events are out of log order`, { ...where, field: 'leafIndex' });
  const included = checkRecord(proof.proof.map((hash) => fromHex(hash)), checkpoint.size, checkpoint.root, proof.leafIndex, recordHash(logLeafBytes(leaf)));
  if (!included) throw tamperedAt('log_proof', `${what}: its inclusion proof does not lead from its log leaf at position ${proof.leafIndex} to the checkpoint's root at size ${checkpoint.size}`, { ...where, field: 'proof' });
  if (Date.parse(leaf.loggedAt) > Date.parse(checkpoint.time)) throw tamperedAt('log_leaf', `${what} was logged at ${leaf.loggedAt}, after the checkpoint that includes it (${checkpoint.time})`, { ...where, field: 'leaf.loggedAt' });
  return { leaf, leafIndex: proof.leafIndex };
}

/** The certificate of the event's key: for its device and its recorder, valid when the log accepted it. */
function checkCertificate(event: CustodyEvent, certificate: DeviceCertificateBody | undefined, leaf: LogLeaf, at: Place): DeviceCertificateBody {
  const what = `event ${at.eventNumber} (${event.kind})`;
  if (!certificate) throw tamperedAt('certificate', `${what} is signed by device key ${event.deviceKeyId}, which no certificate of the organisation covers`, { ...at, field: 'deviceKeyId', found: event.deviceKeyId });
  if (certificate.deviceId !== event.deviceId) throw tamperedAt('certificate', `${what} says device ${event.deviceId}, but its key is certified for device ${certificate.deviceId}`, { ...at, field: 'deviceId', expected: certificate.deviceId, found: event.deviceId });
  if (certificate.userId !== event.recordedByUserId) throw tamperedAt('certificate', `${what} names recorder ${event.recordedByUserId}, but its key is certified for user ${certificate.userName} (${certificate.userId})`, { ...at, field: 'recordedByUserId', expected: certificate.userId, found: event.recordedByUserId });
  if (!certificateCovers(certificate, leaf.loggedAt)) {
    throw tamperedAt('certificate', `${what} was accepted by the log at ${leaf.loggedAt}, outside the validity of its device's certificate (${certificate.notBefore} to ${certificate.notAfter ?? 'open'})`, { ...at, field: 'deviceKeyId', expected: `${certificate.notBefore}..${certificate.notAfter ?? ''}`, found: leaf.loggedAt });
  }
  return certificate;
}

/** Every photo and signature the event names: in the zip with that hash, or declared not held. */
function checkEvidence(event: CustodyEvent, evidence: ReadonlyMap<string, BundleEntry>, notHeld: ReadonlySet<string>, named: Set<string>, at: Place): void {
  for (const [field, hashes] of [['photoHashes', event.photoHashes], ['signatureHashes', event.signatureHashes]] as const) {
    const what = field === 'photoHashes' ? 'photo' : 'signature';
    for (const hash of hashes) {
      named.add(hash);
      const entry = evidence.get(bundlePaths.evidence(hash));
      if (entry && notHeld.has(hash)) throw tamperedAt('manifest', `evidence ${short(hash)} is in the zip, yet the manifest says the server did not hold it`, { file: bundlePaths.manifest, field: 'evidenceNotHeld', found: hash });
      if (!entry && !notHeld.has(hash)) throw tamperedAt('evidence', `event ${at.eventNumber} (${event.kind}): its ${what} ${short(hash)} is not in the bundle`, { ...at, file: bundlePaths.evidence(hash), field, expected: hash });
      if (entry && entry.sha256 !== hash) throw tamperedAt('evidence', `event ${at.eventNumber} (${event.kind}): its ${what} ${short(hash)} now hashes to ${short(entry.sha256)}`, { ...at, file: entry.path, field, expected: hash, found: entry.sha256 });
    }
  }
}

export async function verifyBundleEvents(subtle: CustodySubtleCrypto, input: BundleEventsInput): Promise<EventSigner[]> {
  const { manifest, proofs, checkpoint } = input;
  let rawEvents: JsonValue;
  try {
    rawEvents = parseCanonicalJson(input.eventsBytes, file);
  } catch (error) {
    throw tamperedAt('not_canonical', `${error instanceof Error ? error.message : String(error)}: it was edited after it was written`, { file });
  }
  if (!Array.isArray(rawEvents)) throw tamperedAt('schema', `${file} is not a list of events`, { file });
  const events = rawEvents as readonly JsonValue[];
  if (events.length !== proofs.length) {
    throw tamperedAt('log_proof', `${file} holds ${events.length} events but ${bundlePaths.logProofs} proves ${proofs.length}: events were added or removed`, { file, expected: String(proofs.length), found: String(events.length) });
  }

  const jobs = new Set(manifest.jobs.map((job) => job.id));
  const items = new Map(manifest.items.map((item) => [item.itemId, item]));
  const notHeld = new Set(manifest.evidenceNotHeld);
  const certificates = certificateByKey(input.certificates);
  const keys = new Map<string, Promise<CryptoKeyHandle>>();
  // Signatures are checked a batch at a time, in parallel in WebCrypto's thread pool; a failure
  // is still reported at the first event it concerns, before any later event's problem.
  let signatures: Promise<BundleFailure | null>[] = [];
  const settleSignatures = async (): Promise<void> => {
    const settled = await Promise.all(signatures);
    signatures = [];
    const failure = settled.find((result) => result !== null);
    if (failure) throw failure;
  };
  const heads = new Map<string, string>();
  const counts = new Map<string, number>();
  const serials = new Map<string, string>();
  const seen = new Set<string>();
  const usedKeys = new Set<string>();
  const namedEvidence = new Set<string>();
  const signers: EventSigner[] = [];
  let previousLeafIndex = -1;

  try {
    for (const [index, raw] of events.entries()) {
      const eventNumber = index + 1;
      const event = checkEventBytes(raw, eventNumber);
      const at: Place = { file, eventNumber, eventId: event.id };
      if (seen.has(event.id)) throw tamperedAt('chain', `event ${eventNumber} (${event.kind}) appears twice in the record`, at);
      if (!jobs.has(event.jobId)) throw tamperedAt('job', `event ${eventNumber} (${event.kind}) is on job ${event.jobId}, which the signed manifest does not list`, { ...at, field: 'jobId', found: event.jobId });
      const { leaf, leafIndex } = checkLeaf(event, proofs[index], previousLeafIndex, checkpoint, at);
      previousLeafIndex = leafIndex;
      const certificate = checkCertificate(event, certificates.get(event.deviceKeyId), leaf, at);
      let key = keys.get(event.deviceKeyId);
      if (!key) {
        key = subtle.importKey('raw', fromBase64Url(certificate.publicKey), ed25519, false, ['verify']);
        keys.set(event.deviceKeyId, key);
      }
      const signatureFailure = () => tamperedAt('event_signature', `event ${eventNumber} (${event.kind}): its signature does not verify with the certified key of device ${certificate.deviceId}, or is not in its one base64url spelling`, { ...at, field: 'signature' });
      signatures.push(
        key
          .then((handle) => subtle.verify(ed25519, handle, fromBase64Url(event.signature), fromHex(event.hash)))
          .then(
            (good) => (good ? null : signatureFailure()),
            () => signatureFailure(),
          ),
      );
      if (signatures.length >= SIGNATURES_IN_FLIGHT) await settleSignatures();
      usedKeys.add(event.deviceKeyId);

      const link = chainBreak(event, heads, seen);
      if (link) throw tamperedAt(link.problem === 'correction' ? 'correction' : 'chain', `event ${eventNumber} (${event.kind}): ${link.reason}`, { ...at, field: link.problem === 'correction' ? 'correctsEventId' : 'items' });

      checkEvidence(event, input.evidence, notHeld, namedEvidence, at);

      for (const [itemIndex, covered] of event.items.entries()) {
        const item = items.get(covered.itemId);
        if (!item) throw tamperedAt('head', `event ${eventNumber} (${event.kind}) names item ${covered.serial}, which the signed manifest does not list`, { ...at, field: `items.${itemIndex}.itemId`, found: covered.itemId });
        if (item.jobId !== event.jobId) throw tamperedAt('job', `event ${eventNumber} (${event.kind}) records item ${covered.serial} on job ${event.jobId}; the manifest has it on job ${item.jobId}`, { ...at, field: 'jobId', expected: item.jobId, found: event.jobId });
        heads.set(covered.itemId, event.hash);
        serials.set(covered.itemId, covered.serial);
        counts.set(covered.itemId, (counts.get(covered.itemId) ?? 0) + 1);
      }
      seen.add(event.id);
      signers.push({
        eventNumber,
        eventId: event.id,
        kind: event.kind,
        jobId: event.jobId,
        at: event.at,
        loggedAt: leaf.loggedAt,
        deviceId: certificate.deviceId,
        deviceKeyId: certificate.deviceKeyId,
        certificateSerial: certificate.serial,
        userId: certificate.userId,
        userName: certificate.userName,
        displayName: certificate.displayName,
        role: certificate.role,
      });
    }
  } catch (error) {
    // An earlier event's signature failure comes before this event's problem.
    await settleSignatures();
    throw error;
  }
  await settleSignatures();

  for (const [index, item] of manifest.items.entries()) {
    const serial = serials.get(item.itemId);
    if (serial !== undefined && serial !== item.serial) {
      throw tamperedAt('head', `item ${item.serial}: its last event names it ${serial}; the manifest lists another serial`, { file: bundlePaths.manifest, field: `items.${index}.serial`, expected: serial, found: item.serial });
    }
    const count = counts.get(item.itemId) ?? 0;
    const last = heads.get(item.itemId) ?? null;
    if (count !== item.head.events || last !== item.head.lastHash) {
      const what = count < item.head.events ? 'events were removed from its trail (truncation)' : count > item.head.events ? 'events were added to its trail' : 'its trail ends at another event';
      throw tamperedAt('head', `item ${item.serial}: the signed manifest says ${item.head.events} event(s) ending at ${item.head.lastHash ? short(item.head.lastHash) : 'none'}, the bundle holds ${count} ending at ${last ? short(last) : 'none'}: ${what}`, {
        file: bundlePaths.manifest,
        field: `items.${index}.head`,
        expected: `${item.head.events} ${item.head.lastHash ?? 'none'}`,
        found: `${count} ${last ?? 'none'}`,
      });
    }
  }
  for (const signed of input.certificates) {
    if (!usedKeys.has(signed.certificate.deviceKeyId)) throw tamperedAt('certificate', `${bundlePaths.certificates} certifies device key ${signed.certificate.deviceKeyId} (${signed.certificate.deviceId}), which signed no event of this record`, { file: bundlePaths.certificates, found: signed.certificate.serial });
  }
  for (const hash of manifest.evidenceNotHeld) {
    if (!namedEvidence.has(hash)) throw tamperedAt('manifest', `the manifest says evidence ${short(hash)} was not held, but no event names it`, { file: bundlePaths.manifest, field: 'evidenceNotHeld', found: hash });
  }
  for (const entry of input.evidence.values()) {
    if (entry.path.startsWith('evidence/') && entry.path !== 'evidence/' && !namedEvidence.has(entry.path.slice('evidence/'.length))) {
      throw tamperedAt('evidence', `${entry.path} is named by no event of this record`, { file: entry.path });
    }
  }
  return signers;
}

function idOf(raw: JsonValue): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const id = (raw as { readonly [key: string]: JsonValue }).id;
  return typeof id === 'string' ? id : null;
}
