import { webcrypto } from 'node:crypto';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import type { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { cmsOid, lowSEcdsaSignature } from '../../shared/trust/cades-der';
import type { DocumentSigningKey } from './document-signing-key';

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
  const certificate = pkijs.Certificate.fromBER(key.certificate);
  const issuer = pkijs.Certificate.fromBER(key.issuerCertificate);
  const attributes = [
    new pkijs.Attribute({ type: cmsOid.contentType, values: [new asn1js.ObjectIdentifier({ value: cmsOid.data })] }),
    new pkijs.Attribute({ type: cmsOid.messageDigest, values: [new asn1js.OctetString({ valueHex: (await sha256(signedBytes)).buffer })] }),
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

/**
 * Adds the signature field to a finished document, writes it, and signs it. Nothing may be
 * drawn or attached after this: the signature covers every byte but its own.
 */
export async function signPdf(pdf: PDFDocument, key: DocumentSigningKey, details: PdfSignatureDetails): Promise<Uint8Array> {
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
  const unsigned = await pdf.save({ useObjectStreams: false });
  return new Uint8Array(await new SignPdf().sign(Buffer.from(unsigned), new CadesDetachedSigner(key), details.signingTime));
}
