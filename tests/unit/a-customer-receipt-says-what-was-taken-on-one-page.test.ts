import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { refusalAttestation, refusalNote } from '../../shared/domain/customer-refusal';
import { CustomerReceipt, receiptContent, receiptNumber, receiptText, receiptTimeText, type ReceiptFacts } from '../../shared/domain/customer-receipt';
import type { ItemReconciliation } from '../../shared/domain/evidence';
import type { ExpectedItem } from '../../shared/domain/job';
import { propertyState } from '../../shared/domain/personal-property';
import { newId } from '../../shared/ids';
import { drawableText, receiptPdf } from '../../renderer/features/capture/receipt-pdf';

const dir = mkdtempSync(join(tmpdir(), 'reclaim-receipt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The PDF's text as a reader gets it: poppler's pdftotext, layout kept so lines stay lines. */
function pdfText(bytes: Uint8Array): string {
  const file = join(dir, `${newId()}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

const modem: ExpectedItem = { id: newId(), type: 'modem', make: 'Arris', model: 'SB8200', serial: 'ARR-55501', assetTag: null };
const box: ExpectedItem = { id: newId(), type: 'set_top_box', make: 'Cisco', model: 'DCX3600', serial: 'CSC-77702', assetTag: 'T-9' };
const jobId = newId();
const visitId = newId();
const agentId = newId();

function reconciliation(item: ExpectedItem, status: ItemReconciliation['status'], grade: ItemReconciliation['grade']): ItemReconciliation {
  return { id: newId(), jobId, visitId, itemId: item.id, status, grade, serialSeen: item.serial, serialConfirmedBy: 'scanner', accessoriesChecked: true, unexpected: null, note: '', overrides: [], at: '2026-12-04T15:10:00Z', byUserId: agentId };
}

const refusal = refusalNote({
  kind: 'declined',
  customerName: 'Dana Whitfield',
  reason: 'Says the lessor owes her a refund',
  attestation: refusalAttestation('Alex Agent', 'Dana Whitfield', 'declined'),
  agentName: 'Alex Agent',
  witnessName: 'Sam Neighbour',
  photoHashes: [],
  otherMissing: null,
});

const propertyEntryId = newId();
function facts(overrides: Partial<ReceiptFacts> = {}): ReceiptFacts {
  return {
    number: receiptNumber('01890a5d-ac96-774b-bcce-b302099a8057', '2026-12-04T15:20:00Z', 'America/Chicago'),
    madeAt: '2026-12-04T15:20:00Z',
    job: {
      accountRef: 'ACME-4471',
      clientName: 'Acme Cable',
      clientContact: { phone: '312 555 0100', email: 'returns@acme.example', address: '1 Main St, Chicago IL 60601' },
      customerName: 'Dana Whitfield',
      address: '4410 N Kedzie Ave, Chicago, IL 60625',
      timeZone: 'America/Chicago',
      items: [modem, box],
    },
    agentName: 'Alex Agent',
    visitArrivedAt: '2026-12-04T15:02:00Z',
    collections: [
      {
        kind: 'collected',
        at: '2026-12-04T15:15:00Z',
        items: [{ itemId: modem.id, serial: 'ARR-55501', previousEventHash: null }],
        note: refusal,
        from: { role: 'customer', name: 'Dana Whitfield', userId: null },
      },
    ],
    reconciliations: [reconciliation(modem, 'recovered', 'B'), reconciliation(box, 'missing', null)],
    customerSignatures: [],
    property: [
      {
        entry: { description: 'Family photos on a USB stick', foundWhere: 'in the modem box' },
        state: propertyState([{ id: newId(), propertyId: propertyEntryId, jobId, at: '2026-12-04T15:16:00Z', place: null, note: '', byUserId: agentId, kind: 'returned', returnedTo: 'Dana Whitfield', method: 'handed_over', signatureHash: null }]),
      },
    ],
    locale: 'en-US',
    ...overrides,
  };
}

describe('the customer receipt', () => {
  it('numbers a receipt by the day in the customer’s zone and its id', () => {
    // 02:30 UTC on the 5th is still the 4th in Chicago.
    expect(receiptNumber('01890a5d-ac96-774b-bcce-b302099a8057', '2026-12-05T02:30:00Z', 'America/Chicago')).toBe('RC-20261204-9A8057');
    expect(receiptTimeText('2026-12-04T15:20:00Z', 'America/Chicago', 'en-US')).toBe('Fri, Dec 4, 09:20 CST (UTC-06:00)');
  });

  it('prints what was taken with serials, what was not, the belongings, the refusal, the agent, the account, the time and the lessor on one page', async () => {
    const content = receiptContent(facts());
    const bytes = await receiptPdf(content, new Date('2026-12-04T15:20:00Z'));
    const document = await PDFDocument.load(bytes);
    expect(document.getPageCount()).toBe(1);
    expect(document.getTitle()).toBe(`Receipt ${content.number}`);
    const text = flat(pdfText(bytes));
    expect(text).toContain('Receipt for equipment collected');
    expect(text).toContain('Receipt number RC-20261204-9A8057');
    expect(text).toContain('Modem Arris SB8200, serial ARR-55501 · condition B (used, works) · collected Fri, Dec 4, 09:15 CST (UTC-06:00)');
    expect(text).toContain('Set-top box Cisco DCX3600, serial CSC-77702: not found');
    expect(text).toContain('Family photos on a USB stick (found in the modem box): returned to Dana Whitfield');
    expect(text).toContain('Customer declined to sign (Dana Whitfield). Reason: Says the lessor owes her a refund. Witness: Sam Neighbour.');
    expect(text).toContain('Agent: Alex Agent');
    expect(text).toContain('Account ACME-4471 with Acme Cable (the lessor)');
    expect(text).toContain('Made Fri, Dec 4, 09:20 CST (UTC-06:00)');
    expect(text).toContain('Phone 312 555 0100 · returns@acme.example · 1 Main St, Chicago IL 60601');
    expect(text).not.toContain('has not signed');
  });

  it('says who signed, and names the lessor alone when it set no contact line', async () => {
    const content = receiptContent(facts({ collections: [{ ...facts().collections[0]!, note: '' }], customerSignatures: [{ signerName: 'Dana Whitfield', signedAt: '2026-12-04T15:14:00Z' }], job: { ...facts().job, clientContact: undefined }, property: [] }));
    const text = flat(pdfText(await receiptPdf(content, new Date('2026-12-04T15:20:00Z'))));
    expect(text).toContain('Signed by Dana Whitfield at Fri, Dec 4, 09:14 CST (UTC-06:00).');
    expect(text).toContain('Contact Acme Cable and quote account ACME-4471.');
    expect(text).toContain('None were found.');
    expect(text).not.toContain('declined');
  });

  it('wraps long lines and stays on one page however much was recorded, saying when lines were left off', async () => {
    const long = 'a very long description of a stack of papers and binders '.repeat(8).trim();
    const many = Array.from({ length: 90 }, (_, index) => ({ entry: { description: `${long} ${index}`, foundWhere: 'in the copier' }, state: propertyState([]) }));
    const content = receiptContent(facts({ property: many }));
    const bytes = await receiptPdf(content, new Date('2026-12-04T15:20:00Z'));
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    const text = pdfText(bytes);
    // Wrapped: each description (over 450 characters) is broken over several lines of the page.
    expect(long.length).toBeGreaterThan(450);
    expect(Math.max(...text.split('\n').map((line) => line.trim().length))).toBeLessThan(200);
    expect(flat(text)).toContain(`${long} 0 (found in the copier): kept by the agent for now`);
    expect(flat(text)).toContain(`More was recorded than fits on this page; the full record is kept with receipt ${content.number}.`);
    expect(flat(text)).toContain('ARR-55501');
  });

  it('draws names the standard font lacks instead of refusing to make the receipt', async () => {
    const document = await PDFDocument.create();
    const font = await document.embedFont(StandardFonts.Helvetica);
    expect(drawableText('Zoë Łukasiewicz – Ōsaka 大阪', font)).toBe('Zoë ?ukasiewicz – Osaka ??');
    const content = receiptContent(facts({ job: { ...facts().job, customerName: 'Łukasz 大阪' } }));
    const text = flat(pdfText(await receiptPdf(content, new Date('2026-12-04T15:20:00Z'))));
    expect(text).toContain('Customer: ?ukasz ??');
  });

  it('keeps its words in the synced record, checked like every other boundary', () => {
    const content = receiptContent(facts());
    const record = { id: newId(), jobId, visitId, number: content.number, sha256: 'a'.repeat(64), bytes: 2048, madeAt: '2026-12-04T15:20:00Z', byUserId: agentId, content };
    expect(CustomerReceipt.parse(record).content).toEqual(content);
    expect(CustomerReceipt.safeParse({ ...record, number: 'R-1' }).success).toBe(false);
    expect(receiptText(content)).toContain('Collected');
  });
});
