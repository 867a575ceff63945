/**
 * Verifies a signed custody report (PDF) the way a bundle is verified, because the report
 * carries its bundle: the PDF's own signature first (shared/trust/verify-signed-pdf.ts: signed,
 * unchanged, by a document key the organisation certified), then the embedded bundle through
 * the same strict verifier as a bare zip, then that both are the same organisation's, with the
 * PDF signed while its organisation key was in service. One verdict for both.
 */
import type { CustodySubtleCrypto } from '../custody/crypto-port';
import type { BundlePin, BundleVerdict } from './bundle-verdict';
import { bundlePaths } from './custody-bundle';
import { OrgKeyHistory, trustedOrgKeys } from './org-key';
import { verifySignedPdf, type SignedPdfSubtle } from './verify-signed-pdf';
import { strictDocument, verifyCustodyBundle } from './verify-bundle';
import type { BundleArchive } from './zip-limits';

export type ReportSubtle = CustodySubtleCrypto & SignedPdfSubtle;

function withPdfFailure(verdict: BundleVerdict, status: 'tampered' | 'unreadable', reason: string, checks: readonly string[]): BundleVerdict {
  return { ...verdict, status, checks, problem: { code: 'pdf_signature', file: 'the PDF', eventNumber: null, eventId: null, field: null, expected: null, found: null, reason } };
}

const emptySummary: BundleVerdict['summary'] = {
  organisation: { id: null, fingerprint: null, pinned: null },
  generatedAt: null,
  generatedBy: null,
  jobs: [],
  events: 0,
  items: 0,
  checkpoint: null,
  signers: [],
  evidenceNotHeld: [],
};

export async function verifyCustodyReport(subtle: ReportSubtle, pdf: Uint8Array, pin: BundlePin, readZip: (bytes: Uint8Array) => Promise<BundleArchive>): Promise<BundleVerdict> {
  const failed = (status: 'tampered' | 'unreadable', reason: string, checks: readonly string[] = []): BundleVerdict =>
    withPdfFailure({ status, checks, problem: null, summary: { ...emptySummary, organisation: { ...emptySummary.organisation, pinned: pin?.fingerprint ?? null } } }, status, reason, checks);

  // A first pass with the bare pin: is the PDF signed and unchanged, and whose is it?
  const first = await verifySignedPdf(subtle, pdf, pin ? [{ fingerprint: pin.fingerprint, from: null, until: null }] : []);
  if (!first.ok && first.failure !== 'organisation_not_pinned') {
    return failed(first.failure === 'unreadable' ? 'unreadable' : 'tampered', `the PDF signature: ${first.message}`);
  }
  if (!('bundle' in first)) return failed('unreadable', 'the PDF carries no bundle');
  const pdfChecks = [`PDF: one PAdES signature over the whole file by a document key certified by organisation key ${first.orgKeyFingerprint}${first.signingTime ? `, signed ${first.signingTime}` : ''}; it carries the bundle ${first.bundle.name}`];

  const archive = await readZip(first.bundle.bytes);
  const bundle = await verifyCustodyBundle(subtle, archive, pin);
  const checks = [...pdfChecks, ...bundle.checks];
  if (bundle.status === 'tampered' || bundle.status === 'unreadable') return { ...bundle, checks };

  // The bundle proved its key chain (against the pin, or its own key); the PDF must be signed by
  // a key of that chain, while that key was in service.
  const orgKeys = bundle.summary.organisation;
  const historyEntry = archive.entries.get(bundlePaths.orgKeys);
  const history = historyEntry?.bytes ? strictDocument(historyEntry.bytes, bundlePaths.orgKeys, OrgKeyHistory) : null;
  if (!history || orgKeys.fingerprint === null) return failed('tampered', 'the bundle in the PDF has no organisation keys', checks);
  const chain = await trustedOrgKeys(subtle, orgKeys.fingerprint, history);
  const second = await verifySignedPdf(subtle, pdf, chain.map((key) => ({ fingerprint: key.fingerprint, from: key.from, until: key.until })));
  if (!second.ok) {
    const reason = second.failure === 'organisation_not_pinned' ? `the PDF is signed by organisation key ${first.orgKeyFingerprint}, which is not a key of the organisation that signed the bundle it carries` : `the PDF signature: ${second.message}`;
    return { ...withPdfFailure(bundle, 'tampered', reason, checks) };
  }
  return { ...bundle, checks: [...checks, 'PDF and bundle: signed by the same organisation, each while its key was in service'] };
}
