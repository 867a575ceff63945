import { webcrypto } from 'node:crypto';
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage, type PDFRawStream } from 'pdf-lib';
import QRCode from 'qrcode';
import { toHex } from '../../shared/custody/crypto-port';
import type { CustodyEvent, CustodyParty } from '../../shared/custody/custody-event';
import { readRefusalNote, refusalInWords } from '../../shared/domain/customer-refusal';
import { zoneOffsetMs } from '../../shared/domain/time-zone';
import { canonicalize } from '../../shared/custody/canonical-json';
import { readDispositionNote, type SanitizationCertificate } from '../../shared/supervise/disposition';
import { parseCheckpointText, type Checkpoint } from '../../shared/trust/checkpoint';
import type { DeviceCertificateBody } from '../../shared/trust/device-certificate';
import { orgKeyVerifier } from '../../shared/trust/org-key';
import { openNoteSignedBy } from '../../shared/trust/signed-note';
import { fromBase64 } from '../../shared/trust/strict-bytes';
import type { ServerContext } from '../context';
import type { OrgSigner } from '../trust/org-signing-key-port';
import { evidenceBytes, type CustodyRecordForExport } from './custody-record';
import { documentSigningKey } from './document-signing-key';
import { attachStreamed } from './pdf-attachment';
import type { StreamedContents } from './pdf-file-writer';
import { signPdfToFile } from './pdf-signature';
import { printablePhoto } from '../images/printable-photo';

/** What the report reads: the records, the evidence blobs, the clock, and the vault its signing key is sealed with. */
export type CustodyPdfContext = Pick<ServerContext, 'store' | 'now' | 'blobs' | 'officeKeys'>;

/**
 * What makes the report a signed record rather than a printout: the organisation key (its
 * fingerprint is printed, and it certifies the key that signs the PDF), the custody bundle of the
 * same record attached byte for byte, the log checkpoint it was cut at, and for each event the
 * device certificate of its key and the time the server's log accepted it.
 */
export interface CustodyPdfTrust {
  readonly orgKey: OrgSigner;
  /** The custody bundle (zip) of the same record; attached as is, read while the file is written. */
  readonly bundle: StreamedContents & { readonly name: string };
  /** The log checkpoint as the signed note the server issued, or null when there is none. */
  readonly checkpoint: string | null;
  /** When the server's custody log accepted each event (its leaf's loggedAt, ISO UTC), by event id. */
  readonly loggedAt: ReadonlyMap<string, string>;
  /** The device certificate of each event's signing key, by device key id. */
  readonly certificates: ReadonlyMap<string, DeviceCertificateBody>;
}

const PAGE: [number, number] = [612, 792]; // US Letter, points
const UTC = 'UTC';
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

/** The appendix draws a photo at most this big (points): the page inside its margins and heading. */
const APPENDIX_BOX = { width: PAGE[0] - 2 * MARGIN, height: PAGE[1] - 2 * MARGIN - 40 };
/** Photos are printed at this resolution: the appendix box holds at most 1433 × 1822 pixels. */
export const PHOTO_PRINT_DPI = 200;
export const PHOTO_MAX_PIXELS = { width: Math.round((APPENDIX_BOX.width * PHOTO_PRINT_DPI) / 72), height: Math.round((APPENDIX_BOX.height * PHOTO_PRINT_DPI) / 72) };

async function embedImage(pdf: PDFDocument, bytes: Uint8Array, kind: 'signature' | 'photo'): Promise<PDFImage | null> {
  try {
    if (kind === 'photo') {
      const print = await printablePhoto(bytes, PHOTO_MAX_PIXELS);
      if (print) return await pdf.embedJpg(print);
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return await pdf.embedJpg(bytes);
    // Signatures (small, drawn lines) stay lossless; a PNG photo the decoder refused takes this path too.
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
  constructor(
    readonly pdf: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    readonly mono: PDFFont,
  ) {
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
  text(text: string, options: { size?: number; bold?: boolean; mono?: boolean; color?: ReturnType<typeof rgb>; indent?: number } = {}): void {
    const size = options.size ?? 9.5;
    const font = options.mono ? this.mono : options.bold ? this.bold : this.font;
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

/** "2026-11-24 09:00:05 UTC-06:00": wall-clock time in the job's zone, with its offset. */
function zoneTime(iso: string, zone: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return iso;
  const offset = zoneOffsetMs(instant, zone);
  const minutes = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const wall = new Date(instant + offset).toISOString().slice(0, 19).replace('T', ' ');
  return `${wall} UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function signerLines(event: CustodyEvent, trust: CustodyPdfTrust, zone: string): string[] {
  const certificate = trust.certificates.get(event.deviceKeyId);
  const signer = certificate
    ? `Signed by ${certificate.displayName} (${certificate.userName}, ${certificate.role}) with device ${certificate.deviceId}, key ${event.deviceKeyId} certified by the organisation (certificate ${certificate.serial})`
    : `Signed with device key ${event.deviceKeyId} on device ${event.deviceId}; the organisation has issued no certificate for this key`;
  const loggedAt = trust.loggedAt.get(event.id);
  return [signer, `Device time ${zoneTime(event.at, zone)}   Server log time ${loggedAt ? zoneTime(loggedAt, zone) : 'not in the log'}`];
}

/** The checkpoint as the organisation key signed it; a note it did not sign is not printed. */
async function openCheckpointNote(note: string, orgKey: OrgSigner): Promise<Checkpoint> {
  const { text } = await openNoteSignedBy(webcrypto.subtle, note, [orgKeyVerifier(fromBase64(orgKey.info.publicKey, 'the organisation key'))], 'the log checkpoint');
  return parseCheckpointText(text);
}

/** What the printed QR code carries: enough to match a printed page to its bundle and its log. */
function verificationData(record: CustodyRecordForExport, fingerprint: string, checkpoint: Checkpoint | null, finalHash: string | null): string {
  return canonicalize({
    scheme: 'reclaim-custody-report-v2',
    organisation: fingerprint,
    checkpoint: checkpoint ? { size: checkpoint.size, root: toHex(checkpoint.root) } : null,
    jobs: record.jobs.map((job) => job.id),
    items: [...record.itemIds],
    events: record.events.length,
    finalHash,
  });
}

/**
 * The chain-of-custody record a court or a client reads: the timeline with parties, places,
 * signatures and photo thumbnails, every event's hash and the chain's final hash, a QR code with
 * the verification data, and an appendix with every photo at full page size. It also carries the organisation's fingerprint, the log checkpoint, who signed each event with
 * which certified device, device and log times, the bundle as an attachment, and a PAdES
 * signature over all of it by the organisation's document-signing key.
 *
 * The file is written to `filePath` (its size is returned), never built whole in memory: the
 * bundle is copied in as it is read, and photos are printed as JPEG at PHOTO_PRINT_DPI, so a
 * job with many large photos costs time and memory by what is printed, not by the originals
 * (which the attached bundle keeps byte for byte).
 */
export async function custodyPdf(context: CustodyPdfContext, record: CustodyRecordForExport, generatedBy: string, trust: CustodyPdfTrust, filePath: string): Promise<number> {
  const pdf = await PDFDocument.create();
  const now = context.now();
  const generatedAt = now.toISOString();
  pdf.setTitle('Chain of custody record');
  pdf.setProducer('Reclaim');
  pdf.setCreationDate(now);
  pdf.setModificationDate(now);
  const layout = new Layout(pdf, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold), await pdf.embedFont(StandardFonts.Courier));
  const zoneOf = (jobId: string) => record.jobs.find((job) => job.id === jobId)?.timeZone ?? UTC;
  const checkpoint = trust.checkpoint ? await openCheckpointNote(trust.checkpoint, trust.orgKey) : null;
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
  // The server's own check at export; the reader's proof is the signature and the attached bundle.
  const verdictText = record.verdict.intact
    ? `Checked by the server at export: intact. ${record.verdict.events} events; every hash, signature and link.`
    : `Checked by the server at export: BROKEN at event ${record.verdict.eventNumber ?? '?'}. ${record.verdict.reason}`;
  layout.text(verdictText, { bold: true, color: record.verdict.intact ? rgb(0.05, 0.45, 0.2) : rgb(0.7, 0.1, 0.1) });
  layout.text(`Final hash of the chain: ${finalHash ?? 'none'}`, { size: 8 });
  {
    const zone = zoneOf(record.jobs[0]?.id ?? '');
    layout.gap(4);
    layout.text(`Organisation key fingerprint (SHA-256): ${trust.orgKey.info.fingerprint}`, { size: 8, bold: true });
    layout.text(
      `This PDF is signed by the organisation's document-signing key, which this organisation key certifies, and carries the custody bundle ${trust.bundle.name} as an attachment. Check both with \`npm run verify -- <this file> --org-key <the fingerprint above>\` or in the app; any PDF reader's signature panel shows whether the file changed since it was signed. Times are shown in the job's time zone, ${zone}.`,
      { size: 8, color: MUTED },
    );
    if (checkpoint && trust.checkpoint) {
      layout.text(`Custody log checkpoint: ${checkpoint.size} events, root ${toHex(checkpoint.root)}, signed ${zoneTime(checkpoint.time, zone)} (${checkpoint.time})`, { size: 8 });
      for (const line of trust.checkpoint.trimEnd().split('\n')) layout.text(line || ' ', { size: 6.5, mono: true, color: MUTED });
    } else layout.text('Custody log checkpoint: none given', { size: 8 });
  }

  const qr = await pdf.embedPng(await QRCode.toBuffer(verificationData(record, trust.orgKey.info.fingerprint, checkpoint, finalHash), { type: 'png', margin: 1, width: 300 }));
  layout.room(110);
  const qrTop = layout.y;
  layout.page.drawImage(qr, { x: PAGE[0] - MARGIN - 100, y: qrTop - 100, width: 100, height: 100 });
  layout.text('The QR code carries the organisation fingerprint, the log checkpoint (size and root), the job, the items, the number of events and the final hash.', { size: 8, color: MUTED });
  layout.y = Math.min(layout.y, qrTop - 112);

  const appendix: { label: string; image: PDFImage }[] = [];
  for (const [position, event] of events.entries()) {
    layout.room(120);
    layout.page.drawLine({ start: { x: MARGIN, y: layout.y }, end: { x: PAGE[0] - MARGIN, y: layout.y }, thickness: 0.5, color: MUTED });
    layout.gap(6);
    layout.text(`${position + 1}. ${event.kind.replace(/_/g, ' ')}  ${zoneTime(event.at, zoneOf(event.jobId))}`, { size: 11, bold: true });
    layout.text(`From: ${partyText(event.from, record.users)}`);
    layout.text(`To: ${partyText(event.to, record.users)}`);
    layout.text(`Place: ${placeText(event)}${event.sealNumber ? `   Seal: ${event.sealNumber}` : ''}`);
    layout.text(`Items: ${event.items.map((item) => item.serial).join(', ')}`);
    const disposition = readDispositionNote(event.note);
    const refusal = readRefusalNote(event.note);
    if (refusal) {
      layout.text(refusalInWords(refusal), { bold: true });
      layout.text(`Attestation: ${refusal.attestation}`, { size: 8.5, indent: 12 });
      if (refusal.otherMissing) layout.text(refusal.otherMissing, { size: 8.5, indent: 12 });
    } else if (disposition) {
      layout.text(`Final disposition: ${disposition.disposition.replace(/_/g, ' ')}${disposition.note ? ` (${disposition.note})` : ''}`, { bold: true });
      if (disposition.certificate) for (const line of certificateLines(disposition.certificate)) layout.text(line, { size: 8.5, indent: 12 });
    } else if (event.note) layout.text(`Note: ${event.note}`);
    if (event.correctsEventId) layout.text(`Corrects event ${event.correctsEventId}`);
    layout.text(`Recorded by ${record.users.get(event.recordedByUserId) ?? event.recordedByUserId} on device ${event.deviceId}`, { color: MUTED });
    for (const line of signerLines(event, trust, zoneOf(event.jobId))) layout.text(line, { size: 8.5, color: MUTED });
    layout.text(`Event hash: ${event.hash}`, { size: 7.5 });
    for (const item of event.items) layout.text(`Previous for ${item.serial}: ${item.previousEventHash ?? 'none (first event)'}`, { size: 7.5, color: MUTED });

    const pictures: { hash: string; image: PDFImage | null; kind: 'signature' | 'photo' }[] = [];
    for (const hash of event.signatureHashes) {
      const bytes = await evidenceBytes(context, hash);
      pictures.push({ hash, image: bytes ? await embedImage(pdf, bytes, 'signature') : null, kind: 'signature' });
    }
    for (const hash of event.photoHashes) {
      const bytes = await evidenceBytes(context, hash);
      pictures.push({ hash, image: bytes ? await embedImage(pdf, bytes, 'photo') : null, kind: 'photo' });
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
    const boxW = APPENDIX_BOX.width;
    const boxH = APPENDIX_BOX.height;
    const scale = Math.min(boxW / entry.image.width, boxH / entry.image.height, 1);
    page.drawImage(entry.image, { x: MARGIN, y: PAGE[1] - MARGIN - 24 - entry.image.height * scale, width: entry.image.width * scale, height: entry.image.height * scale });
  }

  const pages = pdf.getPages();
  for (const [index, page] of pages.entries()) {
    page.drawText(printable(`Page ${index + 1} of ${pages.length}   Generated ${zoneTime(generatedAt, zoneOf(record.jobs[0]?.id ?? ''))} by ${generatedBy}   Reclaim`), { x: MARGIN, y: MARGIN - 20, size: 7.5, font: layout.font, color: MUTED });
  }

  const external = new Map<PDFRawStream, StreamedContents>();
  attachStreamed(
    pdf,
    { ...trust.bundle, mimeType: 'application/zip', description: 'The custody bundle this report was made from: verify it with npm run verify or in the app', at: now },
    external,
  );
  const key = await documentSigningKey(context.store.db, context.officeKeys, trust.orgKey, now);
  return signPdfToFile(pdf, key, {
    signingTime: now,
    name: `Reclaim organisation ${trust.orgKey.info.fingerprint.slice(0, 16)}`,
    reason: `Chain-of-custody record, generated by ${printable(generatedBy)}`,
    location: 'Reclaim server',
    contactInfo: '',
  }, filePath, external);
}
