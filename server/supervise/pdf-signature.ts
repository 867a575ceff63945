import { createHash, webcrypto } from 'node:crypto';
import { open } from 'node:fs/promises';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import { PDFDict, PDFName, PDFRef, type PDFDocument, type PDFRawStream } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { cmsOid, lowSEcdsaSignature } from '../../shared/trust/cades-der';
import type { DocumentSigningKey } from './document-signing-key';
import { fileRangeChunks } from './file-chunks';
import { writePdfFile, type StreamedContents } from './pdf-file-writer';

/**
 * PAdES baseline B-B signatures (ETSI EN 319 142-1) for the custody PDF: a detached CMS
 * SignedData (SubFilter ETSI.CAdES.detached) over the PDF's ByteRange, ECDSA P-256 with SHA-256,
 * with exactly the signed attributes the baseline asks for: content-type, message-digest and
 * signing-certificate-v2 (RFC 5035), which binds the signature to its certificate so the
 * certificate cannot be swapped for another with the same key. No signing-time attribute: PAdES
 * keeps the claimed time in the signature dictionary's /M instead. The certificate chain (document
 * certificate, org CA certificate) travels in the CMS so a reader needs nothing else.
 */

/** Room for the CMS in the PDF, in bytes; ours is about 1.2 kB (two small certificates). */
export const SIGNATURE_PLACEHOLDER_BYTES = 8192;

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto });

async function sha256(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await webcrypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** RFC 5035: SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash } }, SHA-256 by default. */
function signingCertificateV2(certificateHash: Uint8Array<ArrayBuffer>): asn1js.Sequence {
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certificateHash.buffer })] })] })] });
}

/** The DER-encoded CMS ContentInfo that goes into the signature dictionary's /Contents. */
export async function cadesDetachedSignature(key: DocumentSigningKey, signedBytes: Uint8Array): Promise<Uint8Array> {
  return cadesDetachedSignatureOfDigest(key, await sha256(signedBytes));
}

/** The same, from the SHA-256 of the signed bytes, for a file hashed as it is read. */
export async function cadesDetachedSignatureOfDigest(key: DocumentSigningKey, digest: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const certificate = pkijs.Certificate.fromBER(key.certificate);
  const issuer = pkijs.Certificate.fromBER(key.issuerCertificate);
  const attributes = [
    new pkijs.Attribute({ type: cmsOid.contentType, values: [new asn1js.ObjectIdentifier({ value: cmsOid.data })] }),
    new pkijs.Attribute({ type: cmsOid.messageDigest, values: [new asn1js.OctetString({ valueHex: digest.slice().buffer })] }),
    new pkijs.Attribute({ type: cmsOid.signingCertificateV2, values: [signingCertificateV2(await sha256(key.certificate))] }),
  ];
  // DER orders a SET OF by the encodings of its members.
  const encoded = (attribute: pkijs.Attribute) => new Uint8Array(attribute.toSchema().toBER());
  attributes.sort((a, b) => compareBytes(encoded(a), encoded(b)));
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: cmsOid.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate, issuer],
  });
  await signedData.sign(key.privateKey, 0, 'SHA-256', undefined, engine);
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) throw new Error('the SignedData lost its signer');
  // ECDSA's (r, s) and (r, n - s) both verify; writing only the low s leaves the CMS one spelling.
  signerInfo.signature = new asn1js.OctetString({ valueHex: lowSEcdsaSignature(signerInfo.signature.valueBlock.valueHexView).slice().buffer });
  const contentInfo = new pkijs.ContentInfo({ contentType: cmsOid.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

/** @signpdf hands the bytes of the ByteRange (the PDF without its /Contents hole) to a Signer. */
export class CadesDetachedSigner extends Signer {
  constructor(private readonly key: DocumentSigningKey) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Buffer.from(await cadesDetachedSignature(this.key, pdfBuffer));
  }
}

export interface PdfSignatureDetails {
  readonly signingTime: Date;
  /** Shown by PDF readers in their signature panel. */
  readonly name: string;
  readonly reason: string;
  readonly location: string;
  readonly contactInfo: string;
}

/** Adds the signature field with its placeholders (the ByteRange and the /Contents hole). */
function addSignaturePlaceholder(pdf: PDFDocument, details: PdfSignatureDetails): void {
  pdflibAddPlaceholder({
    pdfDoc: pdf,
    reason: details.reason,
    contactInfo: details.contactInfo,
    name: details.name,
    location: details.location,
    signingTime: details.signingTime,
    signatureLength: SIGNATURE_PLACEHOLDER_BYTES,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'Reclaim',
  });
}

/**
 * Adds the signature field to a finished document, writes it, and signs it. Nothing may be
 * drawn or attached after this: the signature covers every byte but its own.
 */
export async function signPdf(pdf: PDFDocument, key: DocumentSigningKey, details: PdfSignatureDetails): Promise<Uint8Array> {
  addSignaturePlaceholder(pdf, details);
  const unsigned = await pdf.save({ useObjectStreams: false });
  return new Uint8Array(await new SignPdf().sign(Buffer.from(unsigned), new CadesDetachedSigner(key), details.signingTime));
}

/**
 * The same signature for a document written to a file that may be larger than memory should
 * hold (its attachments streamed in, see pdf-file-writer.ts): the file is written once, the
 * ByteRange filled in where the placeholder stands, the two signed ranges hashed as they are
 * read, and the CMS written into the /Contents hole. The bytes are those signPdf would give,
 * laid out by the same rules as @signpdf/signpdf.
 */
export async function signPdfToFile(pdf: PDFDocument, key: DocumentSigningKey, details: PdfSignatureDetails, filePath: string, external: ReadonlyMap<PDFRawStream, StreamedContents>): Promise<number> {
  addSignaturePlaceholder(pdf, details);
  // The placeholder registers the signature dictionary as raw bytes; its widget points at it.
  const widget = pdf.context.enumerateIndirectObjects().find(([, object]) => object instanceof PDFDict && object.get(PDFName.of('FT')) === PDFName.of('Sig'));
  const signature = widget?.[1] instanceof PDFDict ? widget[1].get(PDFName.of('V')) : undefined;
  if (!(signature instanceof PDFRef)) throw new Error('the signature dictionary is missing after its placeholder was added');
  const file = await open(filePath, 'w+');
  try {
    const { size, placement } = await writePdfFile(pdf, file, external);
    const where = placement.get(signature.tag);
    if (!where) throw new Error('the signature dictionary was not written');
    const object = Buffer.alloc(where.end - where.start);
    await file.read(object, 0, object.length, where.start);
    const rangeAt = object.indexOf('/ByteRange');
    const rangeEnd = object.indexOf(']', rangeAt) + 1;
    const holeStart = object.indexOf('<', object.indexOf('/Contents ', rangeEnd));
    const holeEnd = object.indexOf('>', holeStart) + 1;
    if (rangeAt < 0 || rangeEnd <= 0 || holeStart < 0 || holeEnd <= 0) throw new Error('the signature placeholders were not found where they were written');
    const byteRange = [0, where.start + holeStart, where.start + holeEnd, size - (where.start + holeEnd)];
    const rangeText = `/ByteRange [${byteRange.join(' ')}]`;
    const placeholder = rangeEnd - rangeAt;
    if (rangeText.length > placeholder) throw new Error('the ByteRange does not fit its placeholder');
    await file.write(Buffer.from(rangeText.padEnd(placeholder, ' '), 'latin1'), 0, placeholder, where.start + rangeAt);

    const hash = createHash('sha256');
    for (const [start, length] of [[0, byteRange[1] ?? 0], [byteRange[2] ?? 0, byteRange[3] ?? 0]] as const) {
      for await (const chunk of fileRangeChunks(file, start, length)) hash.update(chunk);
    }
    const cms = await cadesDetachedSignatureOfDigest(key, new Uint8Array(hash.digest()));
    const holeLength = holeEnd - holeStart - 2;
    if (cms.length * 2 > holeLength) throw new Error(`the signature (${cms.length} bytes) does not fit its placeholder`);
    await file.write(Buffer.from(Buffer.from(cms).toString('hex').padEnd(holeLength, '0'), 'latin1'), 0, holeLength, where.start + holeStart + 1);
    return size;
  } finally {
    await file.close();
  }
}
