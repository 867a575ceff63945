import { canonicalize } from '../custody/canonical-json';

/**
 * What the printed record's QR code carries: enough to match a printed record to its bundle.
 * The rest of the v1 bundle (its format, its trust-nothing verifier) is gone: bundles are v2,
 * built and verified in shared/trust/custody-bundle.ts and shared/trust/verify-bundle.ts. This
 * file goes when the PDF stops printing the v1 QR payload.
 */
export function verificationData(manifest: { readonly jobIds: readonly string[]; readonly itemIds: readonly string[]; readonly events: number; readonly finalHash: string | null }): string {
  return canonicalize({ scheme: 'reclaim-custody-v1', jobs: manifest.jobIds, items: manifest.itemIds, events: manifest.events, finalHash: manifest.finalHash });
}
