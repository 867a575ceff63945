import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { webcrypto } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { bundlePaths, bundleReadme, BUNDLE_FORMAT, jsonBytes, manifestEntry, type BundleManifest } from '../../shared/supervise/custody-bundle';
import { utf8 } from '../../shared/custody/canonical-json';
import type { ServerContext } from '../context';
import { evidenceBytes, type CustodyRecordForExport } from './custody-record';

/**
 * Writes a custody bundle as a zip stream: JSON deflated, photos and signatures stored as they
 * are (already compressed), one evidence file in memory at a time.
 */
export function custodyBundle(context: ServerContext, record: CustodyRecordForExport, generatedBy: string): Readable {
  const out = new PassThrough();
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    out.write(Buffer.from(chunk));
    if (final) out.end();
  });
  const add = (path: string, bytes: Uint8Array, compress: boolean) => {
    const entry = compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    zip.add(entry);
    entry.push(bytes, true);
  };

  void (async () => {
    const subtle = webcrypto.subtle;
    const files: BundleManifest['files'] = [];
    const events = jsonBytes(record.events);
    const keys = jsonBytes(record.deviceKeys);
    add(bundlePaths.events, events, true);
    files.push(await manifestEntry(subtle, bundlePaths.events, events));
    add(bundlePaths.deviceKeys, keys, true);
    files.push(await manifestEntry(subtle, bundlePaths.deviceKeys, keys));

    const evidence = [...new Set(record.events.flatMap((event) => [...event.photoHashes, ...event.signatureHashes]))];
    for (const hash of evidence) {
      const bytes = await evidenceBytes(context, hash);
      // A missing file is left out, not invented: the verifier then names the event that needs it.
      if (!bytes) continue;
      add(bundlePaths.blob(hash), bytes, false);
      files.push({ path: bundlePaths.blob(hash), sha256: hash, bytes: bytes.byteLength });
    }
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      generatedAt: context.now().toISOString(),
      generatedBy,
      jobIds: record.jobs.map((job) => job.id),
      itemIds: [...record.itemIds],
      events: record.events.length,
      finalHash: record.events.at(-1)?.hash ?? null,
      files,
    };
    add(bundlePaths.readme, utf8(bundleReadme(manifest)), true);
    add(bundlePaths.manifest, jsonBytes(manifest), true);
    zip.end();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
