import { useState } from 'react';
import type { CustomerReceipt } from '../../../shared/domain/customer-receipt';
import type { StoredSession } from '../../db/meta';
import { formatMoment } from '../../ui/date-format';
import { ModalDialog } from '../../ui/ModalDialog';
import { useFocusWhen } from '../../ui/use-focus-when';
import { customerReceiptRepository, receiptFile, saveReceiptFile, useCustomerReceipts } from './customer-receipt-data';

interface Props {
  jobId: string;
  timeZone: string;
  session: StoredSession;
  /** The visit the agent is at; receipts are made for it. Null for office users, who only read them. */
  visitId: string | null;
  /** Whether anything was collected yet: the receipt comes after the collection. */
  collected: boolean;
}

/**
 * "Customer receipt": after the collection the agent makes a one-page PDF for the customer, on
 * the laptop and offline, then shows it, prints it or saves it. Each receipt is kept with the job
 * and synced; the office reads and downloads the same file from the job.
 */
export function CustomerReceiptSection({ jobId, timeZone, session, visitId, collected }: Props) {
  const receipts = useCustomerReceipts(jobId);
  const [open, setOpen] = useState<CustomerReceipt | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [making, setMaking] = useState(false);
  const canMake = visitId !== null && collected;
  if (!receipts) return null;
  if (visitId === null && receipts.length === 0) return null;

  async function make() {
    if (visitId === null) return;
    setMaking(true);
    setMessage(null);
    try {
      const made = await customerReceiptRepository.makeReceipt(jobId, visitId, session.user.displayName);
      setOpen(made.receipt);
    } catch (error) {
      setMessage(error instanceof Error ? error.message : 'The receipt could not be made.');
    } finally {
      setMaking(false);
    }
  }

  return (
    <section aria-labelledby={`receipt-heading-${jobId}`} className="door-section customer-receipts">
      <h4 id={`receipt-heading-${jobId}`}>Customer receipt</h4>
      {visitId !== null ? (
        <p className="muted">
          {collected
            ? 'A one-page receipt for the customer: what was collected with serials, their belongings, any refusal, and how to reach the lessor.'
            : 'Record the collection first; the receipt lists what was collected.'}
        </p>
      ) : null}
      {receipts.length > 0 ? (
        <ul className="receipt-list" aria-label="Receipts left with the customer">
          {receipts.map(({ receipt, waiting }) => (
            <li key={receipt.id}>
              <button type="button" className="button-link" onClick={() => setOpen(receipt)}>
                Receipt {receipt.number}
              </button>{' '}
              · made {formatMoment(receipt.madeAt, timeZone)}
              {waiting ? ' · waiting to upload' : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {canMake ? (
        <button type="button" className="button-primary" disabled={making} onClick={() => void make()}>
          {making ? 'Making the receipt…' : receipts.length > 0 ? 'Make a new customer receipt' : 'Make the customer receipt'}
        </button>
      ) : null}
      {message ? <p role="alert">{message}</p> : null}
      {open ? <ReceiptDialog receipt={open} session={session} onClose={() => setOpen(null)} /> : null}
    </section>
  );
}

function ReceiptDialog({ receipt, session, onClose }: { receipt: CustomerReceipt; session: StoredSession; onClose: () => void }) {
  const [status, setStatus] = useState<{ text: string; alert: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  // The dialog opens on the receipt's title, where reading starts; the buttons follow it.
  const heading = useFocusWhen<HTMLHeadingElement>(receipt.id);
  const headingId = `receipt-title-${receipt.id}`;

  async function save() {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await saveReceiptFile(receipt, await receiptFile(receipt, session));
      setStatus({ text: saved.saved ? `Saved ${saved.location ?? saved.name}.` : 'Not saved.', alert: false });
    } catch (error) {
      setStatus({ text: error instanceof Error ? error.message : 'The receipt could not be saved.', alert: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <ModalDialog onClose={onClose} labelledBy={headingId} className="receipt-dialog">
      <article className="receipt-sheet" data-testid="receipt-sheet">
        <h2 id={headingId} tabIndex={-1} ref={heading}>
          {receipt.content.title}
        </h2>
        {receipt.content.sections.map((section, index) => (
          <section key={index} aria-label={section.heading}>
            <h3>{section.heading}</h3>
            <ul>
              {section.lines.map((line, lineIndex) => (
                <li key={lineIndex}>{line}</li>
              ))}
            </ul>
          </section>
        ))}
      </article>
      <div className="door-actions receipt-actions">
        <button type="button" className="button-primary" disabled={busy} onClick={() => void save()}>
          Save PDF
        </button>
        <button type="button" className="button-secondary" onClick={() => window.print()}>
          Print
        </button>
        <button type="button" className="button-secondary" onClick={onClose}>
          Close
        </button>
      </div>
      {status ? <p role={status.alert ? 'alert' : 'status'}>{status.text}</p> : null}
    </ModalDialog>
  );
}
