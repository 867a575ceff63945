import { effectiveReconciliations } from '../../../shared/domain/client-requirements';
import { CustomerReceipt, receiptContent, receiptNumber, type ReceiptContent } from '../../../shared/domain/customer-receipt';
import { propertyState } from '../../../shared/domain/personal-property';
import { newId } from '../../../shared/ids';
import type { BlobRow } from '../../db/door-tables';
import { readMeta } from '../../db/meta';
import { queueMutation } from '../../db/outbox';
import { JobNotFoundError, NotSignedInError } from '../../db/repository-errors';
import type { LocalJob, ReclaimDatabase } from '../../db/schema';
import { storingEvidence } from './door-repository';
import { sha256OfBlob } from './photo-pipeline';
import { receiptPdf } from './receipt-pdf';

export interface MadeReceipt {
  readonly receipt: CustomerReceipt;
  readonly content: ReceiptContent;
  readonly pdf: Blob;
}

function addressLine(job: LocalJob): string {
  const { address } = job;
  return [address.line1, address.line2, address.city, [address.region, address.postalCode].filter(Boolean).join(' ')].filter((part) => part && part.trim() !== '').join(', ');
}

/**
 * Makes the receipt left with the customer, from what this laptop holds, with no network: the
 * words (shared/domain/customer-receipt), the PDF (pdf-lib), then in one transaction the PDF as a
 * content-addressed blob (uploaded by the blob queue like a photo), the receipt row and its outbox
 * mutation, so the receipt is kept with the job and reaches the office at the next sync.
 */
export class CustomerReceiptRepository {
  constructor(
    private readonly db: ReclaimDatabase,
    private readonly now: () => Date = () => new Date(),
    private readonly locale?: string,
  ) {}

  /** The receipt's words as they stand now (for the screen); null before any visit. */
  async draft(jobId: string, visitId: string, agentName: string, id: string = newId(), madeAt: Date = this.now()): Promise<{ content: ReceiptContent; job: LocalJob; number: string } | null> {
    const { db } = this;
    const job = await db.jobs.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    const visit = await db.visits.get(visitId);
    if (!visit || visit.jobId !== jobId) return null;
    const [events, reconciliations, signatures, entries, propertyEvents] = await Promise.all([
      db.custodyEvents.where('jobId').equals(jobId).toArray(),
      db.itemReconciliations.where('jobId').equals(jobId).toArray(),
      db.signatures.where('jobId').equals(jobId).toArray(),
      db.personalProperty.where('jobId').equals(jobId).toArray(),
      db.personalPropertyEvents.where('jobId').equals(jobId).toArray(),
    ]);
    // A customer signing for belongings handed back is not signing for the equipment.
    const forBelongings = new Set(propertyEvents.flatMap((event) => (event.kind === 'returned' && event.signatureHash ? [event.signatureHash] : [])));
    const number = receiptNumber(id, madeAt.toISOString(), job.timeZone);
    const content = receiptContent({
      number,
      madeAt: madeAt.toISOString(),
      job: {
        accountRef: job.accountRef,
        clientName: job.clientName,
        clientContact: job.clientContact,
        customerName: job.customer.name,
        address: addressLine(job),
        timeZone: job.timeZone,
        items: job.items,
      },
      agentName,
      visitArrivedAt: visit.arrivedAt,
      collections: events.filter((event) => event.kind === 'collected').sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
      reconciliations: effectiveReconciliations(reconciliations),
      customerSignatures: signatures
        .filter((signature) => signature.signerRole === 'customer' && !forBelongings.has(signature.sha256))
        .sort((a, b) => (a.signedAt < b.signedAt ? -1 : 1)),
      property: entries
        .sort((a, b) => (a.foundAt < b.foundAt ? -1 : a.foundAt > b.foundAt ? 1 : 0))
        .map((entry) => ({ entry, state: propertyState(propertyEvents.filter((event) => event.propertyId === entry.id)) })),
      locale: this.locale,
    });
    return { content, job, number };
  }

  async makeReceipt(jobId: string, visitId: string, agentName: string): Promise<MadeReceipt> {
    const { db } = this;
    const session = await readMeta(db, 'session');
    if (!session) throw new NotSignedInError();
    const id = newId();
    const madeAt = this.now();
    const drafted = await this.draft(jobId, visitId, agentName, id, madeAt);
    if (!drafted) throw new Error('Log the visit before making a receipt for it.');
    // The PDF is made before the transaction: IndexedDB closes a transaction that waits on other work.
    const bytes = await receiptPdf(drafted.content, madeAt);
    const pdf = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' });
    const sha256 = await sha256OfBlob(pdf);
    const receipt = CustomerReceipt.parse({ id, jobId, visitId, number: drafted.number, sha256, bytes: pdf.size, madeAt: madeAt.toISOString(), byUserId: session.user.id, content: drafted.content });
    await storingEvidence(() =>
      db.transaction('rw', [db.jobs, db.customerReceipts, db.blobs, db.outbox, db.meta], async () => {
        if (!(await db.jobs.get(jobId))) throw new JobNotFoundError(jobId);
        if (!(await db.blobs.get(sha256))) {
          const row: BlobRow = { sha256, blob: pdf, mimeType: 'application/pdf', size: pdf.size, state: 'waiting', reason: null, attempts: 0, nextAttemptAt: 0, createdAt: receipt.madeAt };
          await db.blobs.add(row);
        }
        await db.customerReceipts.add(receipt);
        await queueMutation(db, { entity: 'customerReceipt', op: 'create', data: receipt }, () => this.now().getTime());
      }),
    );
    return { receipt, content: drafted.content, pdf };
  }
}
