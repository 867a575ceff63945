import { z } from 'zod';
import { canonicalize, utf8 } from '../custody/canonical-json';
import { sha256Hex, type CustodySubtleCrypto } from '../custody/crypto-port';
import { CustodyEvent, DeviceKey } from '../custody/custody-event';
import { verifyChain } from '../custody/verify-chain';
import { IsoDateTime } from '../domain/job';
import type { RecordVerdict } from './supervise-api';
import { decodeUtf8 } from './utf8-decode';

/**
 * A custody bundle is a zip anyone can verify with no server: the events in chain order, the
 * public keys that signed them, every photo and signature they name (stored under their own
 * SHA-256), and a manifest. The chain itself is the trust root: each event's hash covers its
 * content, its photos' and signatures' hashes and the previous event, and is signed by a device.
 * The manifest only lists files for convenience and is not trusted by the verifier.
 */
export const BUNDLE_FORMAT = 'reclaim-custody-bundle-v1';

export const bundlePaths = {
  manifest: 'manifest.json',
  events: 'events.json',
  deviceKeys: 'device-keys.json',
  readme: 'README.txt',
  blob: (sha256: string) => `evidence/${sha256}`,
} as const;

export const BundleManifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  generatedAt: IsoDateTime,
  generatedBy: z.string(),
  jobIds: z.array(z.string()),
  itemIds: z.array(z.string()),
  events: z.number().int(),
  /** The hash of the last event in the record: what a printed record's QR code names. */
  finalHash: z.string().nullable(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() })),
});
export type BundleManifest = z.infer<typeof BundleManifest>;

/** What the PDF's QR code carries: enough to match a printed record to its bundle. */
export function verificationData(manifest: Pick<BundleManifest, 'jobIds' | 'itemIds' | 'events' | 'finalHash'>): string {
  return canonicalize({ scheme: 'reclaim-custody-v1', jobs: manifest.jobIds, items: manifest.itemIds, events: manifest.events, finalHash: manifest.finalHash });
}

export function bundleReadme(manifest: BundleManifest): string {
  return [
    'Reclaim chain-of-custody bundle',
    '===============================',
    '',
    `Generated ${manifest.generatedAt} by ${manifest.generatedBy}.`,
    `Events: ${manifest.events}. Final event hash: ${manifest.finalHash ?? 'none'}.`,
    '',
    'Files',
    '  events.json       the custody events, oldest first, exactly as signed',
    '  device-keys.json  the Ed25519 public keys of the devices that signed them',
    '  evidence/<sha256> every photo and signature an event names, stored under its SHA-256',
    '  manifest.json     a list of the files and their SHA-256 (a convenience; not trusted)',
    '',
    'How to verify (no Reclaim server needed)',
    '  For each event in order:',
    '  1. Remove "hash" and "signature"; serialise the rest with RFC 8785 (JSON Canonicalization',
    '     Scheme); its SHA-256 (hex) must equal "hash".',
    '  2. The Ed25519 signature (base64url) over the 32 bytes of "hash" must verify with the public',
    '     key in device-keys.json whose id is the event\'s "deviceKeyId".',
    '  3. Each item\'s "previousEventHash" must be the hash of the last earlier event naming that',
    '     item (null for its first event).',
    '  4. Each hash in "photoHashes" and "signatureHashes" must be the SHA-256 of evidence/<hash>.',
    '',
    '  With Reclaim installed: npm run verify -- <this file>.zip',
    '  In the app: Supervise > Verify a bundle.',
    '',
    'Compare the device keys with those your organisation registered if you need to know that the',
    'devices were Reclaim laptops of that organisation, not just that nothing changed since signing.',
    '',
  ].join('\n');
}

/**
 * Verifies an unzipped bundle (path → bytes) in chain order and names the first event that does
 * not hold: a changed event, a changed photo or signature, a missing or reordered event.
 */
export async function verifyBundle(subtle: CustodySubtleCrypto, files: ReadonlyMap<string, Uint8Array>): Promise<RecordVerdict> {
  const broken = (problem: string, reason: string, eventNumber: number | null = null, eventId: string | null = null): RecordVerdict => ({ intact: false, eventNumber, eventId, problem, reason });
  const json = (path: string): unknown => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`the bundle has no ${path}`);
    try {
      return JSON.parse(decodeUtf8(bytes));
    } catch {
      throw new Error(`${path} is not valid JSON: it was changed or damaged`);
    }
  };
  let rawEvents: unknown;
  let keys: DeviceKey[];
  try {
    rawEvents = json(bundlePaths.events);
    const parsedKeys = z.array(DeviceKey).safeParse(json(bundlePaths.deviceKeys));
    if (!parsedKeys.success) return broken('malformed', `${bundlePaths.deviceKeys} is not a list of device keys.`);
    keys = parsedKeys.data;
  } catch (error) {
    return broken('malformed', `${error instanceof Error ? error.message : String(error)}.`);
  }
  if (!Array.isArray(rawEvents)) return broken('malformed', `${bundlePaths.events} is not a list of events.`);

  const keyById = new Map(keys.map((key) => [key.id, key.publicKey]));
  const chain = await verifyChain(subtle, rawEvents, (id) => keyById.get(id) ?? null);
  const chainBrokenAt = chain.intact ? rawEvents.length : chain.index;

  // Evidence is checked up to the first chain break, so the earliest problem is the one named.
  for (let index = 0; index < chainBrokenAt; index += 1) {
    const event = CustodyEvent.parse(rawEvents[index]);
    const evidence = [...event.photoHashes.map((hash) => ['photo', hash] as const), ...event.signatureHashes.map((hash) => ['signature', hash] as const)];
    for (const [what, hash] of evidence) {
      const bytes = files.get(bundlePaths.blob(hash));
      const where = `Event ${index + 1} (${event.kind})`;
      if (!bytes) return broken('evidence_missing', `${where}: its ${what} ${hash.slice(0, 12)}… is not in the bundle.`, index + 1, event.id);
      const actual = await sha256Hex(subtle, new Uint8Array(bytes));
      if (actual !== hash) {
        return broken('evidence_changed', `${where}: its ${what} ${hash.slice(0, 12)}… now hashes to ${actual.slice(0, 12)}…: the file was changed after the event was signed.`, index + 1, event.id);
      }
    }
  }
  if (!chain.intact) return broken(chain.problem, chain.reason, chain.index + 1, chain.eventId);
  const last = rawEvents.length > 0 ? CustodyEvent.parse(rawEvents[rawEvents.length - 1]) : null;
  return { intact: true, events: rawEvents.length, finalHash: last?.hash ?? null };
}

/** The manifest's list entry for a file about to be zipped. */
export async function manifestEntry(subtle: CustodySubtleCrypto, path: string, bytes: Uint8Array<ArrayBuffer>) {
  return { path, sha256: await sha256Hex(subtle, bytes), bytes: bytes.byteLength };
}

export function jsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return utf8(`${JSON.stringify(value, null, 2)}\n`);
}
