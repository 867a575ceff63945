/**
 * A custody bundle (format reclaim-custody-bundle-v2): a zip a stranger can verify with no
 * server, tied to one organisation by the key they pin.
 *
 *   manifest.json      RFC 8785 bytes: who exported what, the jobs, every item's head (event
 *                      count and last hash as of the checkpoint), the signed checkpoint, and the
 *                      path, size and SHA-256 of every other file of the zip
 *   manifest.sig       a signed note by the organisation key over the manifest's SHA-256
 *   events.json        the events in log order, RFC 8785 bytes
 *   certificates.json  the organisation's certificate of every device key that signed an event
 *   org-keys.json      the organisation's keys: the current one and every rotation
 *   log-proofs.json    each event's log leaf and its inclusion proof at the checkpoint
 *   evidence/<sha256>  every photo and signature an event names
 *   README.txt         generated from the manifest; a verifier regenerates it byte for byte
 *
 * The manifest is the one signed statement that covers the whole zip: a file added, removed or
 * changed, a trail cut short, a README reworded, all break it. The events keep their own device
 * signatures and log proofs, so a bundle re-signed by another organisation, or events re-signed
 * by another device, are refused too (shared/trust/verify-bundle.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { canonicalize, utf8 } from '../custody/canonical-json';
import { toHex } from '../custody/crypto-port';
import type { CustodyEvent } from '../custody/custody-event';
import { Role } from '../domain/roles';
import { Sha256Hex } from '../domain/visit';
import { parseCheckpointText } from './checkpoint';
import type { SignedDeviceCertificate } from './device-certificate';
import { LogLeaf, UtcTime } from './log-leaf';
import { Fingerprint, OrgKeyHistory, OrgSigningKeyInfo } from './org-key';

export const CUSTODY_BUNDLE_FORMAT = 'reclaim-custody-bundle-v2';

export const bundlePaths = {
  manifest: 'manifest.json',
  manifestSignature: 'manifest.sig',
  readme: 'README.txt',
  orgKeys: 'org-keys.json',
  certificates: 'certificates.json',
  events: 'events.json',
  logProofs: 'log-proofs.json',
  evidence: (sha256: string) => `evidence/${sha256}`,
} as const;

/** The files the manifest does not list: itself and its signature. */
export const unlistedPaths: ReadonlySet<string> = new Set([bundlePaths.manifest, bundlePaths.manifestSignature]);

/** IANA names, checked by shape only: a verifier must not depend on its machine's time-zone data. */
const TimeZoneName = z.string().regex(/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/, 'a time zone is an IANA name such as America/Chicago');

export const BundleJob = z.strictObject({ id: z.uuid(), accountRef: z.string().min(1).max(80), timeZone: TimeZoneName });
export type BundleJob = z.infer<typeof BundleJob>;

export const ItemHead = z.strictObject({
  /** How many events of the record name this item, as of the checkpoint. */
  events: z.number().int().nonnegative(),
  /** The hash of the last of them; null when there are none. */
  lastHash: Sha256Hex.nullable(),
});
export type ItemHead = z.infer<typeof ItemHead>;

export const BundleItem = z.strictObject({ itemId: z.uuid(), jobId: z.uuid(), serial: z.string().min(1).max(80), head: ItemHead });
export type BundleItem = z.infer<typeof BundleItem>;

export const BundleFileEntry = z.strictObject({ path: z.string().min(1).max(200), size: z.number().int().nonnegative(), sha256: Sha256Hex });
export type BundleFileEntry = z.infer<typeof BundleFileEntry>;

export const BundleManifest = z.strictObject({
  format: z.literal(CUSTODY_BUNDLE_FORMAT),
  generatedAt: UtcTime,
  generatedBy: z.strictObject({ userId: z.uuid(), name: z.string().min(1).max(200), role: Role }),
  organisation: z.strictObject({ id: z.uuid(), fingerprint: Fingerprint, publicKey: OrgSigningKeyInfo.shape.publicKey }),
  jobs: z.array(BundleJob).max(10_000),
  items: z.array(BundleItem).max(100_000),
  /** The custody log checkpoint (a signed note) the heads and proofs are taken at. */
  checkpoint: z.string().min(1).max(4000),
  /** Photos and signatures an event names that the server did not hold when it exported. */
  evidenceNotHeld: z.array(Sha256Hex),
  /** Every file of the zip but manifest.json and manifest.sig. */
  files: z.array(BundleFileEntry),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

const HexHash = z.string().regex(/^[0-9a-f]{64}$/, 'a proof hash is 64 lower-case hex digits');

export const LogProofEntry = z.strictObject({
  eventId: z.uuid(),
  leafIndex: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  leaf: LogLeaf,
  /** RFC 9162 inclusion proof of the leaf at the checkpoint's size, sibling hashes leaf-up. */
  proof: z.array(HexHash).max(64),
});
export type LogProofEntry = z.infer<typeof LogProofEntry>;

/** The text the organisation key signs for a manifest: its SHA-256, so the signature is small. */
export function manifestSignatureText(manifestBytes: Uint8Array): string {
  return `reclaim custody bundle manifest\n${toHex(sha256(manifestBytes))}\n`;
}

export function canonicalBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(value));
}

/**
 * The README, a pure function of the manifest: a verifier regenerates it and requires the same
 * bytes, so what a person reads in the zip is what the organisation signed.
 */
export function bundleReadme(manifest: BundleManifest): string {
  const checkpoint = (() => {
    try {
      const parsed = parseCheckpointText(manifest.checkpoint.slice(0, manifest.checkpoint.indexOf('\n\n') + 1));
      return `log size ${parsed.size}, signed ${parsed.time}`;
    } catch {
      return 'unreadable';
    }
  })();
  // The manifest lists the README, so the README cannot describe its own entry: it is written
  // from every other field, and the verifier regenerates it from the same.
  const described = manifest.files.filter((file) => file.path !== bundlePaths.readme);
  const evidence = described.filter((file) => file.path.startsWith('evidence/')).length;
  return [
    'Reclaim chain-of-custody bundle (reclaim-custody-bundle-v2)',
    '===========================================================',
    '',
    `Organisation ${manifest.organisation.id}`,
    `Organisation key fingerprint (SHA-256 of its Ed25519 public key):`,
    `  ${manifest.organisation.fingerprint}`,
    'Compare it with the fingerprint your contact at the organisation gives you (Admin shows it).',
    'A bundle proves nothing about an organisation whose key you have not pinned.',
    '',
    `Exported ${manifest.generatedAt} by ${manifest.generatedBy.name} (${manifest.generatedBy.role}, user ${manifest.generatedBy.userId}).`,
    `Custody log checkpoint: ${checkpoint}.`,
    '',
    `Jobs (${manifest.jobs.length})`,
    ...manifest.jobs.map((job) => `  ${job.accountRef}  ${job.id}  time zone ${job.timeZone}`),
    '',
    `Items (${manifest.items.length}): serial, events, hash of the last event`,
    ...manifest.items.map((item) => `  ${item.serial}  ${item.head.events}  ${item.head.lastHash ?? 'none'}`),
    '',
    `Files: README.txt and ${described.length} more listed in manifest.json with size and SHA-256, ${evidence} of them photos and signatures.`,
    ...(manifest.evidenceNotHeld.length > 0 ? [`Photos and signatures the server did not hold at export (${manifest.evidenceNotHeld.length}):`, ...manifest.evidenceNotHeld.map((hash) => `  ${hash}`)] : []),
    '',
    'Files',
    '  manifest.json      RFC 8785 JSON: jobs, items and their heads, checkpoint, every file with its SHA-256',
    '  manifest.sig       signed note by the organisation key: "reclaim custody bundle manifest", SHA-256 of manifest.json',
    '  org-keys.json      the organisation key and its rotations, each signed by the old and the new key',
    '  certificates.json  the organisation\'s certificate of each device key that signed an event',
    '  events.json        the custody events in log order, RFC 8785 JSON, each signed by its device',
    '  log-proofs.json    each event\'s custody log leaf and its RFC 6962 inclusion proof at the checkpoint',
    '  evidence/<sha256>  the photos and signatures the events name',
    '  README.txt         this text, generated from manifest.json',
    '',
    'How to verify',
    '  npm run verify -- <this file>.zip --org-key <fingerprint>',
    '  (or in the app: Supervise > Verify a bundle). By hand:',
    '  1. org-keys.json must contain the pinned key; each rotation is signed by both keys.',
    '  2. manifest.sig must verify with a pinned-chain key over the SHA-256 of manifest.json.',
    '  3. Every file but manifest.json and manifest.sig must be listed with its size and SHA-256;',
    '     nothing else may be in the zip. README.txt must be exactly this text.',
    '  4. The checkpoint must be signed by the organisation for log reclaim.custody/<organisation id>.',
    '  5. Each event: without "hash" and "signature", its RFC 8785 SHA-256 is "hash"; the Ed25519',
    '     signature over the hash verifies with a device key the organisation certified for that',
    '     device and user at the time the log accepted it; each item names the previous event of',
    '     that item; its log leaf is included in the checkpoint.',
    '  6. Each item\'s events end at the head above: none removed, none added.',
    '',
  ].join('\n');
}

/** A photo or signature to put in a bundle, read only when the zip is written. */
export interface BundleEvidence {
  readonly sha256: string;
  readonly size: number;
  read(): Promise<Uint8Array>;
}

/** One file of a built bundle, in the order it goes into the zip. */
export interface BundleFile {
  readonly path: string;
  readonly size: number;
  /** Whether a zip writer should deflate it (JSON and text) or store it (photos, signatures). */
  readonly compress: boolean;
  read(): Promise<Uint8Array>;
}

export interface CustodyBundleInput {
  readonly generatedAt: string;
  readonly generatedBy: BundleManifest['generatedBy'];
  readonly history: OrgKeyHistory;
  readonly jobs: readonly BundleJob[];
  /** The items the export is about; every item an event names is added if missing. */
  readonly items: readonly { readonly itemId: string; readonly jobId: string; readonly serial: string }[];
  /** The events in log order, exactly those the checkpoint covers. */
  readonly events: readonly CustodyEvent[];
  readonly certificates: readonly SignedDeviceCertificate[];
  /** The signed checkpoint note the proofs are taken at. */
  readonly checkpoint: string;
  /** One per event, in the same order. */
  readonly proofs: readonly LogProofEntry[];
  readonly evidence: readonly BundleEvidence[];
  /** Signs the manifest signature text with the organisation key: returns the signed note. */
  signManifest(text: string): Promise<string>;
  /**
   * SHA-256 in hex for the check of each photo as it is read; a platform with a native one
   * (Node's) passes it, since the portable JavaScript hash costs about a second per 100 MB.
   */
  readonly sha256Hex?: (bytes: Uint8Array) => string;
}

export interface BuiltBundle {
  readonly manifest: BundleManifest;
  readonly files: readonly BundleFile[];
}

export class BundleBuildError extends Error {
  override readonly name = 'BundleBuildError';
}

function inMemory(path: string, bytes: Uint8Array<ArrayBuffer>): BundleFile {
  return { path, size: bytes.length, compress: true, read: async () => bytes };
}

/** The head of every item as of the last event given: how many events name it, and the last hash. */
export function itemHeads(events: readonly CustodyEvent[]): Map<string, ItemHead> {
  const heads = new Map<string, ItemHead>();
  for (const event of events) {
    for (const item of event.items) heads.set(item.itemId, { events: (heads.get(item.itemId)?.events ?? 0) + 1, lastHash: event.hash });
  }
  return heads;
}

/**
 * Builds a v2 bundle's files: the same function the server export and the tests call, so a test
 * can make a genuine bundle with a throwaway organisation key. It refuses inputs that would make
 * a bundle its own verifier rejects (proofs out of step with the events), so a server bug shows
 * up as a failed export, not as a "tampered" record in a customer's hands.
 */
export async function buildCustodyBundle(input: CustodyBundleInput): Promise<BuiltBundle> {
  const history = OrgKeyHistory.parse(input.history);
  const checkpoint = parseCheckpointText(input.checkpoint.slice(0, input.checkpoint.indexOf('\n\n') + 1));
  if (input.proofs.length !== input.events.length) throw new BundleBuildError(`${input.events.length} events but ${input.proofs.length} log proofs`);
  for (const [index, event] of input.events.entries()) {
    const proof = input.proofs[index];
    if (!proof || proof.eventId !== event.id || proof.leaf.eventHash !== event.hash) throw new BundleBuildError(`the log proof at position ${index + 1} is not the one of event ${event.id}`);
    if (proof.leafIndex >= checkpoint.size) throw new BundleBuildError(`event ${event.id} is at log index ${proof.leafIndex}, past the checkpoint of size ${checkpoint.size}`);
  }
  const jobIds = new Set(input.jobs.map((job) => job.id));
  const heads = itemHeads(input.events);
  const items = new Map<string, Omit<BundleItem, 'head'>>();
  for (const item of input.items) items.set(item.itemId, { itemId: item.itemId, jobId: item.jobId, serial: item.serial });
  for (const event of input.events) {
    if (!jobIds.has(event.jobId)) throw new BundleBuildError(`event ${event.id} is on job ${event.jobId}, which the bundle does not list`);
    // An item is listed under the serial its latest event names, the one a verifier compares.
    for (const item of event.items) items.set(item.itemId, { itemId: item.itemId, jobId: items.get(item.itemId)?.jobId ?? event.jobId, serial: item.serial });
  }

  const named = [...new Set(input.events.flatMap((event) => [...event.photoHashes, ...event.signatureHashes]))].sort();
  const held = new Map(input.evidence.map((file) => [file.sha256, file]));
  const evidence = named.flatMap((hash) => {
    const file = held.get(hash);
    return file ? [file] : [];
  });

  const documents = [
    inMemory(bundlePaths.orgKeys, canonicalBytes(history)),
    inMemory(bundlePaths.certificates, canonicalBytes(input.certificates)),
    inMemory(bundlePaths.events, canonicalBytes(input.events)),
    inMemory(bundlePaths.logProofs, canonicalBytes(input.proofs)),
  ];
  const hashHex = input.sha256Hex ?? ((bytes: Uint8Array) => toHex(sha256(bytes)));
  const evidenceFiles: BundleFile[] = evidence.map((file) => ({
    path: bundlePaths.evidence(file.sha256),
    size: file.size,
    compress: false,
    read: async () => {
      const bytes = await file.read();
      if (bytes.length !== file.size || hashHex(bytes) !== file.sha256) throw new BundleBuildError(`evidence ${file.sha256} did not read back as the file of that hash and size`);
      return bytes;
    },
  }));
  const listed = [...documents, ...evidenceFiles];
  const files: BundleFileEntry[] = [];
  for (const file of documents) files.push({ path: file.path, size: file.size, sha256: toHex(sha256(await file.read())) });
  for (const file of evidence) files.push({ path: bundlePaths.evidence(file.sha256), size: file.size, sha256: file.sha256 });

  const withoutReadme: Omit<BundleManifest, 'files'> = {
    format: CUSTODY_BUNDLE_FORMAT,
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy,
    organisation: { id: history.organisationId, fingerprint: history.current.fingerprint, publicKey: history.current.publicKey },
    jobs: input.jobs.map((job) => ({ id: job.id, accountRef: job.accountRef, timeZone: job.timeZone })),
    items: [...items.values()].map((item) => ({ ...item, head: heads.get(item.itemId) ?? { events: 0, lastHash: null } })),
    checkpoint: input.checkpoint,
    evidenceNotHeld: named.filter((hash) => !held.has(hash)),
  };
  const readme = utf8(bundleReadme({ ...withoutReadme, files }));
  const readmeFile = inMemory(bundlePaths.readme, readme);
  const manifest = BundleManifest.parse({ ...withoutReadme, files: [{ path: bundlePaths.readme, size: readme.length, sha256: toHex(sha256(readme)) }, ...files] });
  const manifestBytes = canonicalBytes(manifest);
  const signature = utf8(await input.signManifest(manifestSignatureText(manifestBytes)));
  return {
    manifest,
    files: [inMemory(bundlePaths.manifest, manifestBytes), inMemory(bundlePaths.manifestSignature, signature), readmeFile, ...listed],
  };
}

/** Every file's bytes, for tests and small bundles (the server streams them instead). */
export async function bundleFileBytes(bundle: BuiltBundle): Promise<{ path: string; bytes: Uint8Array }[]> {
  return Promise.all(bundle.files.map(async (file) => ({ path: file.path, bytes: await file.read() })));
}
