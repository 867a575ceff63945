import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { CustodyEvent, CustodyParty } from '../../shared/custody/custody-event';
import { verificationData } from '../../shared/supervise/custody-bundle';
import { readDispositionNote, type SanitizationCertificate } from '../../shared/supervise/disposition';
import type { ServerContext } from '../context';
import { evidenceBytes, type CustodyRecordForExport } from './custody-record';

const PAGE: [number, number] = [612, 792]; // US Letter, points
const MARGIN = 48;
const INK = rgb(0.1, 0.12, 0.16);
const MUTED = rgb(0.38, 0.42, 0.48);

/** The standard fonts speak WinAnsi; anything else prints as "?" rather than failing the export. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/[^\u0020-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, '?');
}

function partyText(party: CustodyParty, users: ReadonlyMap<string, string>): string {
  const user = party.userId ? ` (user ${users.get(party.userId) ?? party.userId})` : '';
  return `${party.name}, ${party.role}${user}`;
}

async function embedImage(pdf: PDFDocument, bytes: Uint8Array): Promise<PDFImage | null> {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return await pdf.embedJpg(bytes);
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return await pdf.embedPng(bytes);
  } catch {
    return null;
  }
  return null; // WebP and anything else: listed by hash, not drawn.
}

/** A cursor over pages: writes lines top-down and starts a new page when one is full. */
class Layout {
  page: PDFPage;
  y = 0;
  constructor(readonly pdf: PDFDocument, readonly font: PDFFont, readonly bold: PDFFont) {
    this.page = this.newPage();
  }
  newPage(): PDFPage {
    this.page = this.pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
    return this.page;
  }
  room(height: number): void {
    if (this.y - height < MARGIN + 20) this.newPage();
  }
  text(text: string, options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number } = {}): void {
    const size = options.size ?? 9.5;
    const font = options.bold ? this.bold : this.font;
    const width = PAGE[0] - 2 * MARGIN - (options.indent ?? 0);
    for (const line of wrap(printable(text), font, size, width)) {
      this.room(size + 4);
      this.page.drawText(line, { x: MARGIN + (options.indent ?? 0), y: this.y - size, size, font, color: options.color ?? INK });
      this.y -= size + 4;
    }
  }
  gap(points: number): void {
    this.y -= points;
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

function placeText(event: CustodyEvent): string {
  return event.place ? `${event.place.lat.toFixed(5)}, ${event.place.lon.toFixed(5)}${event.place.accuracyM !== null ? ` (±${Math.round(event.place.accuracyM)} m)` : ''}` : 'not recorded';
}

/** NIST SP 800-88 Rev. 1 Appendix G, in the order of its sample certificate. */
function certificateLines(certificate: SanitizationCertificate): string[] {
  const person = (p: SanitizationCertificate['performedBy']) => [p.name, p.title, p.organization, p.location, p.phone].filter(Boolean).join(', ');
  const { media, sanitization } = certificate;
  return [
    'Certificate of sanitization (NIST SP 800-88 Rev. 1, Appendix G)',
    `Performed by: ${person(certificate.performedBy)}`,
    `Media: ${media.type}${media.make || media.model ? `, ${[media.make, media.model].filter(Boolean).join(' ')}` : ''}${media.serial ? `, serial ${media.serial}` : ''}${media.propertyNumber ? `, property no. ${media.propertyNumber}` : ''}${media.source ? `, from ${media.source}` : ''}${media.classification ? `, classification ${media.classification}` : ''}, data backed up: ${media.dataBackedUp}`,
    `Sanitization: ${sanitization.method} by ${sanitization.technique}${sanitization.tool ? ` with ${sanitization.tool}` : ''}; verification ${sanitization.verification.replace(/_/g, ' ')}${sanitization.postConfidentiality ? `; post-sanitization categorization ${sanitization.postConfidentiality}` : ''}${sanitization.destination ? `; destination ${sanitization.destination}` : ''}${sanitization.notes ? `; ${sanitization.notes}` : ''}`,
    `Validated by: ${person(certificate.validatedBy)} on ${certificate.validatedBy.date}`,
  ];
}

/**
 * The chain-of-custody record a court or a client reads: the timeline with parties, places,
 * signatures and photo thumbnails, every event's hash and the chain's final hash, a QR code with
 * the verification data, and an appendix with every photo at full page size.
 */
export async function custodyPdf(context: ServerContext, record: CustodyRecordForExport, generatedBy: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const generatedAt = context.now().toISOString();
  pdf.setTitle('Chain of custody record');
  pdf.setProducer('Reclaim');
  pdf.setCreationDate(context.now());
  const layout = new Layout(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));
  const scoped = new Set(record.itemIds);
  const events = record.events.filter((event) => event.items.some((item) => scoped.has(item.itemId)));
  const finalHash = record.events.at(-1)?.hash ?? null;

  layout.text('Chain of custody record', { size: 18, bold: true });
  layout.gap(4);
  for (const job of record.jobs) {
    layout.text(`Client: ${job.clientName}   Account: ${job.accountRef}   Job: ${job.id}`);
    layout.text(`Customer: ${job.customer.name}, ${job.address.line1}, ${job.address.city} ${job.address.region} ${job.address.postalCode}`);
    for (const item of job.items.filter((candidate) => scoped.has(candidate.id))) {
      layout.text(`Item: ${item.make} ${item.model}, serial ${item.serial}${item.assetTag ? `, asset tag ${item.assetTag}` : ''}`, { indent: 12 });
    }
  }
  for (const itemId of scoped) {
    if (record.jobs.some((job) => job.items.some((item) => item.id === itemId))) continue;
    const serial = events.flatMap((event) => event.items).find((item) => item.itemId === itemId)?.serial ?? itemId;
    layout.text(`Item (not on the order): serial ${serial}`, { indent: 12 });
  }
  layout.gap(6);
  const verdictText = record.verdict.intact
    ? `Verification: INTACT. ${record.verdict.events} events; every hash, signature and link checked by the server.`
    : `Verification: BROKEN at event ${record.verdict.eventNumber ?? '?'}. ${record.verdict.reason}`;
  layout.text(verdictText, { bold: true, color: record.verdict.intact ? rgb(0.05, 0.45, 0.2) : rgb(0.7, 0.1, 0.1) });
  layout.text(`Final hash of the chain: ${finalHash ?? 'none'}`, { size: 8 });

  const qr = await pdf.embedPng(await QRCode.toBuffer(verificationData({ jobIds: record.jobs.map((job) => job.id), itemIds: [...record.itemIds], events: record.events.length, finalHash }), { type: 'png', margin: 1, width: 300 }));
  layout.room(110);
  const qrTop = layout.y;
  layout.page.drawImage(qr, { x: PAGE[0] - MARGIN - 100, y: qrTop - 100, width: 100, height: 100 });
  layout.text('The QR code carries the job, the items, the number of events and the final hash.', { size: 8, color: MUTED });
  layout.text('Verify the matching bundle (JSON export) with `npm run verify -- bundle.zip` or in the app.', { size: 8, color: MUTED });
  layout.y = Math.min(layout.y, qrTop - 112);

  const appendix: { label: string; image: PDFImage }[] = [];
  for (const [position, event] of events.entries()) {
    layout.room(120);
    layout.page.drawLine({ start: { x: MARGIN, y: layout.y }, end: { x: PAGE[0] - MARGIN, y: layout.y }, thickness: 0.5, color: MUTED });
    layout.gap(6);
    layout.text(`${position + 1}. ${event.kind.replace(/_/g, ' ')}  ${event.at}`, { size: 11, bold: true });
    layout.text(`From: ${partyText(event.from, record.users)}`);
    layout.text(`To: ${partyText(event.to, record.users)}`);
    layout.text(`Place: ${placeText(event)}${event.sealNumber ? `   Seal: ${event.sealNumber}` : ''}`);
    layout.text(`Items: ${event.items.map((item) => item.serial).join(', ')}`);
    const disposition = readDispositionNote(event.note);
    if (disposition) {
      layout.text(`Final disposition: ${disposition.disposition.replace(/_/g, ' ')}${disposition.note ? ` (${disposition.note})` : ''}`, { bold: true });
      if (disposition.certificate) for (const line of certificateLines(disposition.certificate)) layout.text(line, { size: 8.5, indent: 12 });
    } else if (event.note) layout.text(`Note: ${event.note}`);
    if (event.correctsEventId) layout.text(`Corrects event ${event.correctsEventId}`);
    layout.text(`Recorded by ${record.users.get(event.recordedByUserId) ?? event.recordedByUserId} on device ${event.deviceId}`, { color: MUTED });
    layout.text(`Event hash: ${event.hash}`, { size: 7.5 });
    for (const item of event.items) layout.text(`Previous for ${item.serial}: ${item.previousEventHash ?? 'none (first event)'}`, { size: 7.5, color: MUTED });

    const pictures: { hash: string; image: PDFImage | null; kind: 'signature' | 'photo' }[] = [];
    for (const hash of event.signatureHashes) {
      const bytes = await evidenceBytes(context, hash);
      pictures.push({ hash, image: bytes ? await embedImage(pdf, bytes) : null, kind: 'signature' });
    }
    for (const hash of event.photoHashes) {
      const bytes = await evidenceBytes(context, hash);
      pictures.push({ hash, image: bytes ? await embedImage(pdf, bytes) : null, kind: 'photo' });
    }
    // Thumbnails in rows; each row is as tall as its tallest picture (signatures are short).
    const boxW = 104;
    const boxH = 78;
    const sized = pictures.map((picture) => {
      const scale = picture.image ? Math.min(boxW / picture.image.width, boxH / picture.image.height) : 1;
      return { ...picture, w: picture.image ? picture.image.width * scale : boxW, h: picture.image ? picture.image.height * scale : boxH };
    });
    for (let start = 0; start < sized.length; start += 4) {
      const row = sized.slice(start, start + 4);
      const height = Math.max(...row.map((picture) => picture.h));
      layout.room(height + 14);
      let x = MARGIN;
      for (const picture of row) {
        if (picture.image) {
          layout.page.drawImage(picture.image, { x, y: layout.y - picture.h, width: picture.w, height: picture.h });
          if (picture.kind === 'photo') appendix.push({ label: `Event ${position + 1}, photo ${picture.hash}`, image: picture.image });
        } else {
          layout.page.drawRectangle({ x, y: layout.y - boxH, width: boxW, height: boxH, borderColor: MUTED, borderWidth: 0.5 });
          layout.page.drawText('no image', { x: x + 30, y: layout.y - boxH / 2, size: 8, font: layout.font, color: MUTED });
        }
        layout.page.drawText(`${picture.kind} ${picture.hash.slice(0, 16)}…`, { x, y: layout.y - height - 9, size: 6, font: layout.font, color: MUTED });
        x += boxW + 24;
      }
      layout.gap(height + 16);
    }
    layout.gap(6);
  }

  for (const entry of appendix) {
    const page = layout.newPage();
    page.drawText(printable(`Appendix: ${entry.label.slice(0, 90)}`), { x: MARGIN, y: PAGE[1] - MARGIN - 10, size: 9, font: layout.bold, color: INK });
    const boxW = PAGE[0] - 2 * MARGIN;
    const boxH = PAGE[1] - 2 * MARGIN - 40;
    const scale = Math.min(boxW / entry.image.width, boxH / entry.image.height, 1);
    page.drawImage(entry.image, { x: MARGIN, y: PAGE[1] - MARGIN - 24 - entry.image.height * scale, width: entry.image.width * scale, height: entry.image.height * scale });
  }

  const pages = pdf.getPages();
  for (const [index, page] of pages.entries()) {
    page.drawText(printable(`Page ${index + 1} of ${pages.length}   Generated ${generatedAt} by ${generatedBy}   Reclaim`), { x: MARGIN, y: MARGIN - 20, size: 7.5, font: layout.font, color: MUTED });
  }
  return pdf.save();
}
