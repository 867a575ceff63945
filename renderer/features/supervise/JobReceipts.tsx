import { useEffect, useState } from 'react';
import type { JobReceipts as JobReceiptsAnswer } from '../../../shared/api/receipts';
import { formatMoment } from '../../ui/date-format';
import { sha256OfBlob } from '../capture/photo-pipeline';
import { saveReceiptFile } from '../capture/customer-receipt-data';
import type { SuperviseClient } from './supervise-client';

/** The receipts left with the customer on the item's job: the supervisor downloads the PDF the customer got. */
export function JobReceipts({ client, jobId }: { client: SuperviseClient; jobId: string }) {
  const [answer, setAnswer] = useState<JobReceiptsAnswer | null>(null);
  const [message, setMessage] = useState<{ text: string; alert: boolean } | null>(null);

  useEffect(() => {
    let live = true;
    client
      .receipts(jobId)
      .then((found) => live && setAnswer(found))
      .catch((error: unknown) => live && setMessage({ text: error instanceof Error ? error.message : 'The receipts could not be loaded.', alert: true }));
    return () => {
      live = false;
    };
  }, [client, jobId]);

  async function download(entry: JobReceiptsAnswer['receipts'][number]) {
    setMessage(null);
    try {
      const pdf = await client.receiptPdf(entry.receipt.sha256);
      // The record names exactly one file; anything else is not this receipt.
      if ((await sha256OfBlob(pdf)) !== entry.receipt.sha256) throw new Error('The PDF the server sent is not the one this receipt names; it was not saved.');
      const saved = await saveReceiptFile(entry.receipt, pdf);
      setMessage({ text: saved.saved ? `Saved ${saved.location ?? saved.name}.` : 'Not saved.', alert: false });
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : 'The receipt could not be saved.', alert: true });
    }
  }

  if (!answer && !message) return null;
  return (
    <section className="supervise-receipts" aria-label="Customer receipts on this job">
      {answer && answer.receipts.length > 0 ? (
        <ul>
          {answer.receipts.map((entry) => (
            <li key={entry.receipt.id}>
              Customer receipt {entry.receipt.number} · made {formatMoment(entry.receipt.madeAt)} by {entry.madeBy}{' '}
              <button type="button" className="button-link" onClick={() => void download(entry)}>
                Download receipt {entry.receipt.number}
              </button>
            </li>
          ))}
        </ul>
      ) : answer ? (
        <p className="supervise-muted">No receipt was left with the customer on this job.</p>
      ) : null}
      {message ? <p role={message.alert ? 'alert' : 'status'}>{message.text}</p> : null}
    </section>
  );
}
