/**
 * Verifies a Reclaim custody bundle with no server and prints the verdict.
 *
 *   npm run verify -- <bundle.zip>
 *
 * Exit codes: 0 the record is intact, 1 it is broken (the first broken event is named),
 * 2 the file could not be read as a bundle.
 */
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { unzipSync } from 'fflate';
import { BundleManifest, bundlePaths, verifyBundle } from '../shared/supervise/custody-bundle';
import { decodeUtf8 } from '../shared/supervise/utf8-decode';

async function main(argv: readonly string[]): Promise<number> {
  const file = argv.find((arg) => !arg.startsWith('-'));
  if (!file) {
    process.stderr.write('usage: npm run verify -- <bundle.zip>\n');
    return 2;
  }
  let files: Map<string, Uint8Array>;
  try {
    files = new Map(Object.entries(unzipSync(new Uint8Array(readFileSync(file)))));
  } catch (error) {
    process.stderr.write(`${file} could not be read as a zip: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const manifestBytes = files.get(bundlePaths.manifest);
  const manifest = manifestBytes ? BundleManifest.safeParse(JSON.parse(decodeUtf8(manifestBytes))) : null;
  if (manifest?.success) {
    process.stdout.write(`Bundle generated ${manifest.data.generatedAt} by ${manifest.data.generatedBy}; jobs ${manifest.data.jobIds.join(', ')}\n`);
  }
  const verdict = await verifyBundle(webcrypto.subtle, files);
  if (verdict.intact) {
    process.stdout.write(`INTACT: ${verdict.events} events; every hash, signature, link and photo/signature file checks out.\nFinal hash: ${verdict.finalHash ?? 'none'}\n`);
    return 0;
  }
  process.stdout.write(`BROKEN${verdict.eventNumber !== null ? ` at event ${verdict.eventNumber}` : ''} (${verdict.problem}): ${verdict.reason}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
