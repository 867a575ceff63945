import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { custodyBundleZip, prepareCustodyBundle } from './custody-bundle-export';
import { custodyPdf } from './custody-pdf';
import { fileChunks } from './file-chunks';
import type { CustodyRecordForExport } from './custody-record';

/** A finished report on disk: stream it, then (or on failure) discard it. */
export interface SignedReportFile {
  readonly size: number;
  /** Reads the file; the temporary folder is removed when the stream closes, read to the end or not. */
  open(): Readable;
  discard(): Promise<void>;
}

/**
 * The PDF a court or a client reads, made to prove itself: the record's v2 bundle is built first
 * (cut at a signed log checkpoint) and attached, the checkpoint, device certificates and log
 * times are printed from that same bundle, and the whole file is signed (PAdES) by the document
 * key the organisation key certifies. So the printed pages, the attachment and the signature all
 * speak of one checkpoint, and `npm run verify -- report.pdf --org-key …` checks all of it.
 *
 * The bundle keeps every original photo, so it can be large: it is written to a temporary file
 * (one photo in memory at a time), copied into the PDF file as that is written, and the signed
 * PDF is streamed from disk. Memory stays flat whatever the photos weigh.
 */
export async function signedCustodyReport(context: ServerContext, record: CustodyRecordForExport, principal: Principal, bundleName: string): Promise<SignedReportFile> {
  const folder = await mkdtemp(join(tmpdir(), 'reclaim-custody-report-'));
  const discard = () => rm(folder, { recursive: true, force: true });
  try {
    const prepared = await prepareCustodyBundle(context, record, principal);
    const bundlePath = join(folder, 'bundle.zip');
    await pipeline(custodyBundleZip(prepared.built), createWriteStream(bundlePath));
    const pdfPath = join(folder, 'report.pdf');
    const size = await custodyPdf(context, record, `${principal.displayName} (${principal.username})`, {
      orgKey: await context.orgKey.inUse(context.store.db),
      bundle: { name: bundleName, size: (await stat(bundlePath)).size, chunks: () => fileChunks(bundlePath) },
      checkpoint: prepared.checkpoint,
      loggedAt: prepared.loggedAt,
      certificates: prepared.certificates,
    }, pdfPath);
    return {
      size,
      open: () => createReadStream(pdfPath).once('close', () => void discard()),
      discard,
    };
  } catch (error) {
    await discard();
    throw error;
  }
}
