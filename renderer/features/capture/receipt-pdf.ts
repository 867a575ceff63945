import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import type { ReceiptContent } from '../../../shared/domain/customer-receipt';

/**
 * Draws a receipt on one US Letter page with pdf-lib's standard Helvetica, so it is made
 * offline with no font files. Long lines wrap at word boundaries; when the receipt does not fit
 * at the body size it is set smaller, and at the smallest size the lines that still do not fit
 * are replaced by one saying so: the customer always gets one page, never a second they lack.
 */
const page = { width: 612, height: 792, margin: 54 } as const;
const bodySizes = [10, 9, 8, 7] as const;
const titleSize = 16;
const lineGap = 1.3;

/**
 * Helvetica speaks WinAnsi only. Letters it lacks are first taken apart (é stays, ő becomes o),
 * and whatever still cannot be drawn becomes "?", rather than refusing to make the receipt.
 */
export function drawableText(text: string, font: PDFFont): string {
  const known = new Set(font.getCharacterSet());
  let out = '';
  for (const char of text.replace(/[\u2010-\u2011\u2212]/g, '-').replace(/[\u00a0\u202f\u2007]/g, ' ')) {
    const code = char.codePointAt(0) ?? 0;
    if (known.has(code)) out += char;
    else {
      const plain = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...plain].every((part) => known.has(part.codePointAt(0) ?? 0)) && plain !== '' ? plain : '?';
    }
  }
  return out;
}

/** Breaks text into lines no wider than `width`; a word wider than a line is cut. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

interface Laid {
  readonly text: string;
  readonly bold: boolean;
  /** Space before the line, in lines. */
  readonly before: number;
}

function layout(content: ReceiptContent, regular: PDFFont, bold: PDFFont, size: number): Laid[] {
  const width = page.width - 2 * page.margin;
  const laid: Laid[] = [];
  for (const section of content.sections) {
    wrapText(drawableText(section.heading, bold), bold, size + 1, width).forEach((text, index) => laid.push({ text, bold: true, before: index === 0 ? 0.8 : 0 }));
    for (const line of section.lines) wrapText(drawableText(line, regular), regular, size, width - 10).forEach((text) => laid.push({ text, bold: false, before: 0 }));
  }
  return laid;
}

function heightOf(laid: readonly Laid[], size: number): number {
  return laid.reduce((sum, line) => sum + (1 + line.before) * size * lineGap, 0);
}

export async function receiptPdf(content: ReceiptContent, madeAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Receipt ${content.number}`);
  doc.setSubject(content.title);
  doc.setProducer('Reclaim');
  doc.setCreator('Reclaim');
  // The file's own dates are the receipt's, so the PDF says when it was made, not when it was saved.
  doc.setCreationDate(madeAt);
  doc.setModificationDate(madeAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const sheet = doc.addPage([page.width, page.height]);

  let y = page.height - page.margin - titleSize;
  sheet.drawText(drawableText(content.title, bold), { x: page.margin, y, size: titleSize, font: bold });
  y -= titleSize * 0.6;
  sheet.drawLine({ start: { x: page.margin, y }, end: { x: page.width - page.margin, y }, thickness: 0.75, color: rgb(0.3, 0.3, 0.3) });
  const room = y - page.margin;

  let size: number = bodySizes[0];
  let laid = layout(content, regular, bold, size);
  for (const next of bodySizes) {
    size = next;
    laid = layout(content, regular, bold, size);
    if (heightOf(laid, size) <= room) break;
  }
  if (heightOf(laid, size) > room) {
    const note: Laid = { text: drawableText(`More was recorded than fits on this page; the full record is kept with receipt ${content.number}.`, regular), bold: true, before: 0.8 };
    while (laid.length > 0 && heightOf([...laid, note], size) > room) laid = laid.slice(0, -1);
    laid = [...laid, note];
  }

  for (const line of laid) {
    y -= (1 + line.before) * size * lineGap;
    sheet.drawText(line.text, { x: page.margin + (line.bold ? 0 : 10), y, size: line.bold ? size + 1 : size, font: line.bold ? bold : regular });
  }
  return doc.save();
}
