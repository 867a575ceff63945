import { useLiveQuery } from 'dexie-react-hooks';
import type { CustomerReceipt } from '../../../shared/domain/customer-receipt';
import { localDb } from '../../app/local-database';
import type { StoredSession } from '../../db/meta';
import { getBridge } from '../../platform/bridge';
import { CustomerReceiptRepository } from './customer-receipt-repository';
import { sha256OfBlob } from './photo-pipeline';

/** The app's receipt maker; components call its named functions, never Dexie. */
export const customerReceiptRepository = new CustomerReceiptRepository(localDb);

export interface ReceiptView {
  receipt: CustomerReceipt;
  /** The PDF has not reached the server yet. */
  waiting: boolean;
}

/** The job's receipts, oldest first. */
export function useCustomerReceipts(jobId: string): ReceiptView[] | undefined {
  return useLiveQuery(async () => {
    const receipts = await localDb.customerReceipts.where('jobId').equals(jobId).toArray();
    const files = await localDb.blobs.bulkGet(receipts.map((receipt) => receipt.sha256));
    const waiting = new Set(files.flatMap((row) => (row && row.state !== 'uploaded' ? [row.sha256] : [])));
    return receipts
      .sort((a, b) => (a.madeAt < b.madeAt ? -1 : a.madeAt > b.madeAt ? 1 : 0))
      .map((receipt) => ({ receipt, waiting: waiting.has(receipt.sha256) }));
  }, [jobId]);
}

export class ReceiptFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReceiptFileError';
  }
}

/**
 * The receipt's PDF: from this laptop when it holds it (it made it, offline or not), else from
 * the server, which gives it to the office and the job's agent. Bytes that do not hash to the
 * receipt's sha256 are refused: the record names exactly one file.
 */
export async function receiptFile(receipt: CustomerReceipt, session: StoredSession): Promise<Blob> {
  const held = await localDb.blobs.get(receipt.sha256);
  if (held) return held.blob;
  const token = await getBridge().getSecret('session');
  let response: Response;
  try {
    response = await fetch(`${session.serverUrl}/api/v1/blobs/${receipt.sha256}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ReceiptFileError("Can't reach the server for this receipt's PDF; try again when online.");
  }
  if (!response.ok) throw new ReceiptFileError(response.status === 404 ? "The server does not have this receipt's PDF yet: the laptop that made it has not synced." : `The server refused the PDF (HTTP ${response.status}).`);
  const blob = new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
  if ((await sha256OfBlob(blob)) !== receipt.sha256) throw new ReceiptFileError('The PDF the server sent is not the one this receipt names; it was not saved.');
  return blob;
}

/** Saves the PDF where the person chooses: a save dialog in Electron, a download in the browser. */
export async function saveReceiptFile(receipt: CustomerReceipt, pdf: Blob): Promise<{ saved: boolean; name: string; location: string | null }> {
  const bridge = getBridge();
  const name = `receipt-${receipt.number}.pdf`;
  const begun = await bridge.beginSave({ suggestedName: name, mimeType: 'application/pdf' });
  if (!begun.opened) return { saved: false, name, location: null };
  try {
    await bridge.writeSave({ streamId: begun.streamId, chunk: new Uint8Array(await pdf.arrayBuffer()) });
  } catch (error) {
    await bridge.finishSave({ streamId: begun.streamId, outcome: 'abandon' }).catch(() => undefined);
    throw new ReceiptFileError(`The receipt could not be written to the file (${error instanceof Error ? error.message : 'unknown error'}); nothing was kept.`);
  }
  const result = await bridge.finishSave({ streamId: begun.streamId, outcome: 'complete' });
  return { saved: result.saved, name, location: result.location };
}
