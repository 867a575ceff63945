/**
 * Verifies a signed custody PDF (PAdES baseline B-B, SubFilter ETSI.CAdES.detached) against the
 * organisation keys a verifier pinned, and hands back the custody bundle it carries.
 *
 * The checks, in the order a forger would have to defeat them:
 *   1. exactly one signature, whose ByteRange covers the whole file but its own /Contents hole
 *      (a hex string and nothing else), so nothing was appended or slipped in after signing;
 *   2. the CMS is one detached SignedData with one signer, ECDSA P-256 with SHA-256, whose
 *      message-digest is the SHA-256 of the signed bytes, whose signing-certificate-v2 names the
 *      certificate it was made with, and whose signature over the signed attributes verifies;
 *   3. that certificate is issued by an org CA certificate in the CMS whose key is Ed25519: the CA
 *      certificate's self-signature and the document certificate's signature both verify with it,
 *      and the document was signed within the document certificate's validity;
 *   4. the fingerprint of that Ed25519 key (hex SHA-256 of its 32 raw bytes) is one the verifier
 *      trusts, and the key was in service at the claimed signing time (a rotated-out key signs
 *      nothing dated after its retirement). Everything before this step proves the file is
 *      intact; this step says whose it is.
 * Only a file that passed 1–3 is parsed as a PDF, so a hostile file never reaches the stream
 * decoders. The embedded bundle is returned for the bundle verifier; it is not judged here.
 *
 * WebCrypto is passed in (shared/ has no DOM or Node): the browser's or Node's crypto.subtle.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import * as asn1js from 'asn1js';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFString, type PDFObject } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { ed25519, toHex, type CryptoKeyHandle, type Ed25519Algorithm } from '../custody/crypto-port';
import { cmsOid, isDer, isLowSEcdsaSignature, sameBytes } from './cades-der';

/** Far more than two small certificates and a signature need; a larger hole is not ours. */
const MAX_CONTENTS_BYTES = 65_536;

/** The WebCrypto calls this verifier makes, and pkijs on its behalf (ECDSA P-256). */
export interface SignedPdfSubtle {
  importKey(format: 'raw', keyData: Uint8Array<ArrayBuffer>, algorithm: Ed25519Algorithm, extractable: boolean, keyUsages: ['verify']): Promise<CryptoKeyHandle>;
  importKey(format: 'spki', keyData: ArrayBuffer, algorithm: { name: 'ECDSA'; namedCurve: string }, extractable: boolean, keyUsages: ['verify']): Promise<CryptoKeyHandle>;
  verify(algorithm: Ed25519Algorithm | { name: 'ECDSA'; hash: { name: string } }, key: CryptoKeyHandle, signature: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<boolean>;
  digest(algorithm: { name: string }, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
}

export type SignedPdfFailure =
  /** Not a PDF, or a signed file whose PDF structure cannot be read. */
  | 'unreadable'
  | 'not_signed'
  | 'several_signatures'
  /** The ByteRange does not cover the file from its first byte with one hex-string hole. */
  | 'byte_range_invalid'
  /** Bytes follow the signed range: an incremental update (or anything) added after signing. */
  | 'modified_after_signing'
  /** The /Contents is not one detached CAdES SignedData as this verifier accepts it. */
  | 'signature_malformed'
  /** The signed bytes are not the bytes that were signed: the document was changed. */
  | 'message_digest_mismatch'
  | 'signature_invalid'
  /** signing-certificate-v2 does not name the certificate in the CMS. */
  | 'signing_certificate_mismatch'
  /** The document certificate is not issued by a self-certified Ed25519 organisation key. */
  | 'certificate_chain_invalid'
  | 'attachment_missing'
  /** Signed by a trusted organisation key, but dated outside the time that key was in service. */
  | 'org_key_not_in_service';

/**
 * An organisation key the verifier trusts: the pinned one, or one a rotation chain links to it
 * (shared/trust/org-key.ts trustedOrgKeys() returns these). A bare pin is { fingerprint, from:
 * null, until: null }.
 */
export interface PinnedOrgKey {
  readonly fingerprint: string;
  /** In service from this time (inclusive), null for the first key. */
  readonly from: string | null;
  /** Retired at this time (exclusive), null for the current key. */
  readonly until: string | null;
}

export interface DocumentCertificateSummary {
  readonly subject: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface EmbeddedBundle {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface IntactPdf {
  /** The fingerprint of the organisation key the document's certificate chain ends at. */
  readonly orgKeyFingerprint: string;
  /** The signer's claimed time (the signature dictionary's /M), ISO-8601 UTC. */
  readonly signingTime: string | null;
  readonly documentCertificate: DocumentCertificateSummary;
  readonly bundle: EmbeddedBundle;
}

export type SignedPdfVerdict =
  | ({ readonly ok: true } & IntactPdf)
  /** Intact and signed, but by an organisation the verifier did not pin (or it pinned none). */
  | ({ readonly ok: false; readonly failure: 'organisation_not_pinned'; readonly message: string } & IntactPdf)
  | { readonly ok: false; readonly failure: SignedPdfFailure; readonly message: string };

class SignedPdfError extends Error {
  constructor(
    readonly failure: SignedPdfFailure,
    message: string,
  ) {
    super(message);
  }
}

function fail(failure: SignedPdfFailure, message: string): never {
  throw new SignedPdfError(failure, message);
}

const latin1 = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));

function indexesOf(haystack: Uint8Array, needle: string): number[] {
  const first = needle.charCodeAt(0);
  const found: number[] = [];
  outer: for (let i = haystack.indexOf(first); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j += 1) if (haystack[i + j] !== needle.charCodeAt(j)) continue outer;
    found.push(i);
  }
  return found;
}

interface SignedRange {
  readonly byteRange: readonly [number, number, number, number];
  /** The DER of the CMS, without the hole's zero padding. */
  readonly cms: Uint8Array<ArrayBuffer>;
  /** The hex text of the hole, as the signature dictionary's /Contents reads it. */
  readonly contentsHex: string;
  readonly signedBytes: Uint8Array<ArrayBuffer>;
}

/** Check 1: one signature, a ByteRange over everything but its /Contents hex string. */
function signedRangeOf(pdf: Uint8Array): SignedRange {
  if (latin1(pdf, 0, 5) !== '%PDF-') fail('unreadable', 'the file is not a PDF (it does not start with %PDF-)');
  const ranges = indexesOf(pdf, '/ByteRange');
  if (ranges.length === 0) fail('not_signed', 'the PDF carries no signature');
  if (ranges.length > 1) fail('several_signatures', `the PDF carries ${ranges.length} signatures (or signature dictionaries); a custody record has exactly one`);
  const at = ranges[0] ?? 0;
  const match = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/.exec(latin1(pdf, at, Math.min(pdf.length, at + 80)));
  if (!match) fail('byte_range_invalid', 'the signature’s ByteRange is not four numbers');
  const [start, holeStart, holeEnd, tailLength] = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
  if (start !== 0 || holeStart <= 0 || holeEnd <= holeStart) fail('byte_range_invalid', `the signature’s ByteRange [${start} ${holeStart} ${holeEnd} ${tailLength}] does not start at the first byte with one hole after it`);
  if (holeEnd + tailLength < pdf.length) {
    fail('modified_after_signing', `${pdf.length - holeEnd - tailLength} bytes were added after the signed part of the file (an incremental update or appended data); the signature covers only the first ${holeEnd + tailLength} bytes`);
  }
  if (holeEnd + tailLength > pdf.length) fail('byte_range_invalid', `the signature’s ByteRange reaches byte ${holeEnd + tailLength}, past the end of the ${pdf.length}-byte file`);
  if (at >= holeStart && at < holeEnd) fail('byte_range_invalid', 'the ByteRange lies inside the part of the file it leaves unsigned');
  if (holeEnd - holeStart > 2 + 2 * MAX_CONTENTS_BYTES) fail('byte_range_invalid', `the signature’s /Contents hole is ${holeEnd - holeStart} bytes, more than a signature of this format needs`);
  // The hole must be exactly the /Contents hex string: "<" lowercase hex ">" and nothing else.
  if (!/\/Contents\s*$/.test(latin1(pdf, Math.max(0, holeStart - 16), holeStart)) || pdf[holeStart] !== 0x3c || pdf[holeEnd - 1] !== 0x3e) {
    fail('byte_range_invalid', 'the unsigned hole of the ByteRange is not the signature’s /Contents string');
  }
  const contentsHex = latin1(pdf, holeStart + 1, holeEnd - 1);
  if (!/^(?:[0-9a-f]{2})+$/.test(contentsHex)) fail('byte_range_invalid', 'the signature’s /Contents is not a string of lowercase hex digits');
  const contents = new Uint8Array(contentsHex.length / 2);
  for (let i = 0; i < contents.length; i += 1) contents[i] = parseInt(contentsHex.slice(i * 2, i * 2 + 2), 16);
  const decoded = asn1js.fromBER(contents, { parseEmbedded: false });
  if (decoded.offset <= 0 || decoded.result.error) fail('signature_malformed', 'the signature’s /Contents is not DER');
  // The padding after the DER is unsigned; it must be zeros so no other bytes can ride along.
  if (contents.subarray(decoded.offset).some((byte) => byte !== 0)) fail('signature_malformed', 'the signature’s /Contents carries bytes after its CMS');
  if (!isDer(decoded.result) || !sameBytes(new Uint8Array(decoded.result.toBER(false)), contents.subarray(0, decoded.offset))) {
    fail('signature_malformed', 'the signature’s CMS is not in its one DER encoding');
  }
  const signedBytes = new Uint8Array(holeStart + tailLength);
  signedBytes.set(pdf.subarray(0, holeStart), 0);
  signedBytes.set(pdf.subarray(holeEnd, holeEnd + tailLength), holeStart);
  return { byteRange: [start, holeStart, holeEnd, tailLength], cms: contents.slice(0, decoded.offset), contentsHex, signedBytes };
}


function certificateDer(certificate: pkijs.Certificate): Uint8Array<ArrayBuffer> {
  return new Uint8Array(certificate.toSchema().toBER());
}

function nameText(name: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C' };
  return name.typesAndValues.map((entry) => `${short[entry.type] ?? entry.type}=${String(entry.value.valueBlock.value)}`).join(', ');
}

function onlyAttribute(signerInfo: pkijs.SignerInfo, type: string, what: string): asn1js.AsnType {
  const found = signerInfo.signedAttrs?.attributes.filter((attribute) => attribute.type === type) ?? [];
  const value = found[0]?.values[0];
  if (found.length !== 1 || found[0]?.values.length !== 1 || value === undefined) fail('signature_malformed', `the signature must carry exactly one ${what} signed attribute`);
  return value;
}

/** RFC 5035 ESSCertIDv2.certHash of the first certificate named, checked to be SHA-256. */
function signingCertificateHash(value: asn1js.AsnType): Uint8Array {
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const first = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(first instanceof asn1js.Sequence)) fail('signature_malformed', 'the signing-certificate-v2 attribute names no certificate');
  let [hashAlgorithm, certHash] = first.valueBlock.value;
  if (hashAlgorithm instanceof asn1js.OctetString) [hashAlgorithm, certHash] = [undefined, hashAlgorithm];
  else if (new pkijs.AlgorithmIdentifier({ schema: hashAlgorithm }).algorithmId !== cmsOid.sha256) fail('signature_malformed', 'the signing-certificate-v2 attribute hashes its certificate with something other than SHA-256');
  if (!(certHash instanceof asn1js.OctetString)) fail('signature_malformed', 'the signing-certificate-v2 attribute has no certificate hash');
  return certHash.valueBlock.valueHexView;
}

async function ed25519Verifies(subtle: SignedPdfSubtle, publicKey: Uint8Array, certificate: pkijs.Certificate): Promise<boolean> {
  const signature = certificate.signatureValue.valueBlock;
  if (certificate.signatureAlgorithm.algorithmId !== cmsOid.ed25519 || certificate.signature.algorithmId !== cmsOid.ed25519) return false;
  if (signature.unusedBits !== 0 || signature.valueHexView.length !== 64) return false;
  try {
    const key = await subtle.importKey('raw', new Uint8Array(publicKey), ed25519, false, ['verify']);
    return await subtle.verify(ed25519, key, new Uint8Array(signature.valueHexView), new Uint8Array(certificate.tbsView));
  } catch {
    return false;
  }
}

interface VerifiedSignature {
  readonly orgKeyFingerprint: string;
  readonly documentCertificate: pkijs.Certificate;
}

/** Checks 2 and 3: the CMS over the signed bytes, and its chain to an Ed25519 organisation key. */
async function verifyCms(subtle: SignedPdfSubtle, range: SignedRange): Promise<VerifiedSignature> {
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(range.cms);
    if (contentInfo.contentType !== cmsOid.signedData) fail('signature_malformed', 'the signature is not a CMS SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof SignedPdfError) throw error;
    fail('signature_malformed', `the signature is not a CMS SignedData (${error instanceof Error ? error.message : String(error)})`);
  }
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) fail('signature_malformed', `the signature has ${signedData.signerInfos.length} signers; it must have one`);
  if (signedData.encapContentInfo.eContentType !== cmsOid.data || signedData.encapContentInfo.eContent) fail('signature_malformed', 'the signature is not detached over the document’s bytes');
  // What the signature does not cover is held to the one form this format writes (RFC 5652 versions, RFC 5754 and 5758 algorithm identifiers).
  const sha256WithNull = (algorithm: pkijs.AlgorithmIdentifier) => algorithm.algorithmId === cmsOid.sha256 && algorithm.algorithmParams instanceof asn1js.Null;
  const [digestAlgorithm, ...otherDigests] = signedData.digestAlgorithms;
  if (signedData.version !== 1 || signerInfo.version !== 1 || !digestAlgorithm || otherDigests.length > 0 || !sha256WithNull(digestAlgorithm) || !sha256WithNull(signerInfo.digestAlgorithm)) {
    fail('signature_malformed', `the signature is not a version 1 SignedData with SHA-256 as its one digest (digest ${signerInfo.digestAlgorithm.algorithmId})`);
  }
  if (signerInfo.signatureAlgorithm.algorithmId !== cmsOid.ecdsaWithSha256 || signerInfo.signatureAlgorithm.algorithmParams !== undefined) {
    fail('signature_malformed', `the signature is not ECDSA with SHA-256 (signature ${signerInfo.signatureAlgorithm.algorithmId})`);
  }
  if (signerInfo.unsignedAttrs || signedData.crls || signedData.ocsps) fail('signature_malformed', 'the signature carries unsigned attributes or revocation data this format does not write');
  if (!isLowSEcdsaSignature(signerInfo.signature.valueBlock.valueHexView)) fail('signature_malformed', 'the ECDSA signature value is not in its one DER form with a low s');
  const contentType = onlyAttribute(signerInfo, cmsOid.contentType, 'content-type');
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.valueBlock.toString() !== cmsOid.data) fail('signature_malformed', 'the signature’s content-type attribute is not id-data');
  const messageDigest = onlyAttribute(signerInfo, cmsOid.messageDigest, 'message-digest');
  if (!(messageDigest instanceof asn1js.OctetString)) fail('signature_malformed', 'the signature’s message-digest attribute is not an octet string');
  const digest = sha256(range.signedBytes);
  if (!sameBytes(messageDigest.valueBlock.valueHexView, digest)) {
    fail('message_digest_mismatch', `the document was changed after it was signed: its signed bytes hash to ${toHex(digest)}, the signature was made over ${toHex(messageDigest.valueBlock.valueHexView)}`);
  }

  const certificates = (signedData.certificates ?? []).filter((candidate): candidate is pkijs.Certificate => candidate instanceof pkijs.Certificate);
  const sid = signerInfo.sid;
  if (!(sid instanceof pkijs.IssuerAndSerialNumber)) fail('signature_malformed', 'the signer is not named by issuer and serial number');
  const signer = certificates.filter((candidate) => candidate.issuer.isEqual(sid.issuer) && candidate.serialNumber.isEqual(sid.serialNumber));
  const documentCertificate = signer[0];
  if (!documentCertificate || signer.length > 1) fail('signature_malformed', 'the signature does not carry exactly one certificate for its signer');
  if (certificates.length !== 2 || signedData.certificates?.length !== 2 || certificates[0] !== documentCertificate) {
    fail('signature_malformed', 'the signature must carry exactly its document certificate and then the organisation certificate');
  }
  const namedHash = signingCertificateHash(onlyAttribute(signerInfo, cmsOid.signingCertificateV2, 'signing-certificate-v2'));
  if (!sameBytes(namedHash, sha256(certificateDer(documentCertificate)))) fail('signing_certificate_mismatch', 'the signing-certificate-v2 attribute names another certificate than the one the signature carries');

  let signatureVerified = false;
  try {
    const engine = new pkijs.CryptoEngine({ name: 'reclaim-verify', crypto: { subtle } });
    const result = await signedData.verify({ signer: 0, data: range.signedBytes.buffer, checkChain: false, extendedMode: true }, engine);
    signatureVerified = result.signatureVerified === true;
  } catch {
    signatureVerified = false;
  }
  if (!signatureVerified) fail('signature_invalid', `the signature does not verify with the key of its certificate (${nameText(documentCertificate.subject)})`);

  const issuers = certificates.filter((candidate) => candidate !== documentCertificate && candidate.subject.isEqual(documentCertificate.issuer));
  const ca = issuers[0];
  if (!ca || issuers.length > 1) fail('certificate_chain_invalid', `the signature does not carry exactly one certificate of its issuer ${nameText(documentCertificate.issuer)}`);
  if (ca.subjectPublicKeyInfo.algorithm.algorithmId !== cmsOid.ed25519) fail('certificate_chain_invalid', 'the issuer of the document certificate is not an Ed25519 organisation key');
  const orgKey = ca.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  if (orgKey.length !== 32) fail('certificate_chain_invalid', 'the organisation key in the issuer certificate is not 32 bytes');
  const basicConstraints = ca.extensions?.find((extension) => extension.extnID === cmsOid.basicConstraints)?.parsedValue;
  if (!ca.issuer.isEqual(ca.subject) || !(basicConstraints instanceof pkijs.BasicConstraints) || !basicConstraints.cA) fail('certificate_chain_invalid', 'the issuer certificate is not a self-issued CA certificate of the organisation key');
  const orgKeyFingerprint = toHex(sha256(orgKey));
  if (!(await ed25519Verifies(subtle, orgKey, ca))) fail('certificate_chain_invalid', `the organisation certificate of key ${orgKeyFingerprint} is not signed by that key`);
  if (!(await ed25519Verifies(subtle, orgKey, documentCertificate))) fail('certificate_chain_invalid', `the document certificate is not signed by organisation key ${orgKeyFingerprint}`);
  return { orgKeyFingerprint, documentCertificate };
}

function lookupDict(dict: PDFDict | undefined, key: string): PDFDict | undefined {
  const value = dict?.lookup(PDFName.of(key));
  return value instanceof PDFDict ? value : undefined;
}

/** Every entry of a name tree (ISO 32000-1, 7.9.6), with a bound on its depth. */
function nameTreeEntries(node: PDFDict, depth = 0): [PDFObject | undefined, PDFObject | undefined][] {
  if (depth > 8) fail('unreadable', 'the attachment list nests too deep');
  const entries: [PDFObject | undefined, PDFObject | undefined][] = [];
  const names = node.lookup(PDFName.of('Names'));
  if (names instanceof PDFArray) for (let i = 0; i + 1 < names.size(); i += 2) entries.push([names.lookup(i), names.lookup(i + 1)]);
  const kids = node.lookup(PDFName.of('Kids'));
  if (kids instanceof PDFArray) for (let i = 0; i < kids.size(); i += 1) {
    const kid = kids.lookup(i);
    if (kid instanceof PDFDict) entries.push(...nameTreeEntries(kid, depth + 1));
  }
  return entries;
}

function textOf(value: PDFObject | undefined): string | null {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
}

/** The one signature field, which must be the signature checked on the raw bytes. */
function signatureDictionary(document: PDFDocument, range: SignedRange): PDFDict {
  const fields = lookupDict(document.catalog, 'AcroForm')?.lookup(PDFName.of('Fields'));
  const signatures: PDFDict[] = [];
  if (fields instanceof PDFArray) for (let i = 0; i < fields.size(); i += 1) {
    const field = fields.lookup(i);
    if (field instanceof PDFDict && field.lookup(PDFName.of('FT')) === PDFName.of('Sig')) {
      const value = lookupDict(field, 'V');
      if (value) signatures.push(value);
    }
  }
  const [dictionary, ...others] = signatures;
  if (!dictionary || others.length > 0) fail('several_signatures', `the PDF's form has ${signatures.length} signed signature fields; a custody record has exactly one`);
  const byteRange = dictionary.lookup(PDFName.of('ByteRange'));
  const numbers = byteRange instanceof PDFArray ? byteRange.asArray().map((entry) => (entry instanceof PDFNumber ? entry.asNumber() : NaN)) : [];
  const contents = dictionary.lookup(PDFName.of('Contents'));
  if (numbers.join(' ') !== range.byteRange.join(' ') || !(contents instanceof PDFHexString) || contents.asString() !== range.contentsHex) {
    fail('byte_range_invalid', 'the signature field of the PDF is not the signature that covers its bytes');
  }
  return dictionary;
}

function embeddedBundle(document: PDFDocument): EmbeddedBundle {
  const tree = lookupDict(lookupDict(document.catalog, 'Names'), 'EmbeddedFiles');
  const entries = tree ? nameTreeEntries(tree) : [];
  const [entry, ...others] = entries;
  if (!entry || others.length > 0) fail('attachment_missing', `the PDF carries ${entries.length} attached files; a custody record carries exactly one, its bundle`);
  const spec = entry[1] instanceof PDFDict ? entry[1] : undefined;
  const stream = lookupDict(spec, 'EF')?.lookup(PDFName.of('F'));
  if (!spec || !(stream instanceof PDFRawStream)) fail('attachment_missing', 'the attached bundle has no file stream');
  const name = textOf(spec.lookup(PDFName.of('UF'))) ?? textOf(spec.lookup(PDFName.of('F'))) ?? textOf(entry[0]) ?? 'bundle.zip';
  let bytes: Uint8Array;
  try {
    bytes = decodePDFRawStream(stream).decode();
  } catch {
    fail('unreadable', `the attached bundle ${name} cannot be decompressed`);
  }
  const size = lookupDict(stream.dict, 'Params')?.lookup(PDFName.of('Size'));
  if (size instanceof PDFNumber && size.asNumber() !== bytes.length) fail('unreadable', `the attached bundle ${name} is ${bytes.length} bytes, not the ${size.asNumber()} it declares`);
  return { name, bytes };
}

function certificateSummary(certificate: pkijs.Certificate): DocumentCertificateSummary {
  return {
    subject: nameText(certificate.subject),
    serialNumber: toHex(certificate.serialNumber.valueBlock.valueHexView),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
  };
}

/**
 * The verdict on a signed custody PDF against the organisation keys the verifier trusts. With
 * none, an intact file is reported as `organisation_not_pinned` (with what it found), never as ok.
 */
export async function verifySignedPdf(subtle: SignedPdfSubtle, pdf: Uint8Array, trusted: readonly PinnedOrgKey[]): Promise<SignedPdfVerdict> {
  try {
    const range = signedRangeOf(pdf);
    const { orgKeyFingerprint, documentCertificate } = await verifyCms(subtle, range);
    // From here on the bytes are the organisation's own, so parsing them as a PDF is safe.
    let document: PDFDocument;
    try {
      document = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: true });
    } catch (error) {
      fail('unreadable', `the signed PDF cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
    const dictionary = signatureDictionary(document, range);
    const claimed = dictionary.lookup(PDFName.of('M'));
    const signingTime = claimed instanceof PDFString ? claimed.decodeDate() : null;
    const summary = certificateSummary(documentCertificate);
    if (signingTime && (signingTime < documentCertificate.notBefore.value || signingTime > documentCertificate.notAfter.value)) {
      fail('certificate_chain_invalid', `the document says it was signed at ${signingTime.toISOString()}, outside its certificate's validity (${summary.notBefore} to ${summary.notAfter})`);
    }
    const intact: IntactPdf = { orgKeyFingerprint, signingTime: signingTime?.toISOString() ?? null, documentCertificate: summary, bundle: embeddedBundle(document) };
    const key = trusted.find((candidate) => candidate.fingerprint === orgKeyFingerprint);
    if (!key) {
      const pinned = trusted.length === 0 ? 'no organisation key was pinned' : `the trusted key is ${trusted.map((candidate) => candidate.fingerprint).join(' or ')}`;
      return { ok: false, failure: 'organisation_not_pinned', message: `the PDF is intact and signed by organisation key ${orgKeyFingerprint}, but ${pinned}`, ...intact };
    }
    const time = signingTime?.getTime() ?? Number.NaN;
    if ((key.from !== null || key.until !== null) && !(Number.isFinite(time) && (key.from === null || time >= Date.parse(key.from)) && (key.until === null || time < Date.parse(key.until)))) {
      fail('org_key_not_in_service', `the PDF is signed by organisation key ${orgKeyFingerprint} at ${intact.signingTime ?? 'an unstated time'}, when that key was not in service (from ${key.from ?? 'the start'} until ${key.until ?? 'now'})`);
    }
    return { ok: true, ...intact };
  } catch (error) {
    if (error instanceof SignedPdfError) return { ok: false, failure: error.failure, message: error.message };
    return { ok: false, failure: 'unreadable', message: `the PDF cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
}
