import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { custodyBundleBytes, prepareCustodyBundle } from './custody-bundle-export';
import { custodyPdf } from './custody-pdf';
import type { CustodyRecordForExport } from './custody-record';

/**
 * The PDF a court or a client reads, made to prove itself: the record's v2 bundle is built first
 * (cut at a signed log checkpoint) and attached, the checkpoint, device certificates and log
 * times are printed from that same bundle, and the whole file is signed (PAdES) by the document
 * key the organisation key certifies. So the printed pages, the attachment and the signature all
 * speak of one checkpoint, and `npm run verify -- report.pdf --org-key …` checks all of it.
 */
export async function signedCustodyReport(context: ServerContext, record: CustodyRecordForExport, principal: Principal, bundleName: string): Promise<Uint8Array> {
  const prepared = await prepareCustodyBundle(context, record, principal);
  return custodyPdf(context, record, `${principal.displayName} (${principal.username})`, {
    orgKey: await context.orgKey.inUse(context.store.db),
    bundle: { name: bundleName, bytes: await custodyBundleBytes(prepared.built) },
    checkpoint: prepared.checkpoint,
    loggedAt: prepared.loggedAt,
    certificates: prepared.certificates,
  });
}
