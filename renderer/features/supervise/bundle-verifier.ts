import { unzip } from 'fflate';
import { BundleManifest, bundlePaths, verifyBundle } from '../../../shared/supervise/custody-bundle';
import type { RecordVerdict } from '../../../shared/supervise/supervise-api';
import { decodeUtf8 } from '../../../shared/supervise/utf8-decode';

export interface BundleCheck {
  readonly verdict: RecordVerdict;
  readonly manifest: BundleManifest | null;
}

function unzipped(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  return new Promise((resolve, reject) => {
    unzip(bytes, (error, files) => (error ? reject(new Error('This file is not a zip, or it is damaged.')) : resolve(new Map(Object.entries(files)))));
  });
}

/**
 * Verifies a bundle entirely in the browser: the same shared verifier the command line and the
 * server use, with the browser's own WebCrypto. Nothing is sent anywhere.
 */
export async function verifyBundleFile(file: Blob): Promise<BundleCheck> {
  let files: Map<string, Uint8Array>;
  try {
    files = await unzipped(new Uint8Array(await file.arrayBuffer()));
  } catch (error) {
    return { verdict: { intact: false, eventNumber: null, eventId: null, problem: 'malformed', reason: error instanceof Error ? error.message : String(error) }, manifest: null };
  }
  const manifestBytes = files.get(bundlePaths.manifest);
  let manifest: BundleManifest | null = null;
  try {
    manifest = manifestBytes ? BundleManifest.parse(JSON.parse(decodeUtf8(manifestBytes))) : null;
  } catch {
    manifest = null;
  }
  const verdict = await verifyBundle(crypto.subtle, files);
  return { verdict, manifest };
}
