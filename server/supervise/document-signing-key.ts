import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Kysely } from 'kysely';
import * as pkijs from 'pkijs';
import { newId } from '../../shared/ids';
import { fromBase64, toBase64 } from '../../shared/trust/strict-bytes';
import { ProblemError } from '../http/problem';
import type { Database } from '../store/schema';
import type { OrgSigner } from '../trust/org-signing-key-port';
import { KeyEncryptionKeyError, type OfficeKeyOwner, type OfficeKeyVault } from './office-key-vault';

/**
 * The key that signs custody PDFs. PDF readers verify ECDSA P-256 but few know Ed25519, so the
 * organisation's Ed25519 key does not sign PDFs itself: it certifies this key instead, through a
 * small X.509 chain built from the organisation key alone:
 *
 *   org CA certificate   subject "Reclaim organisation <fingerprint prefix>", Ed25519 key = the
 *                        organisation key, self-signed by it (so it says which key it is)
 *   document certificate ECDSA P-256, issued and signed by the org CA certificate
 *
 * A verifier that pinned the organisation's fingerprint checks the CA certificate's key against
 * it, then both signatures; nothing else has to be trusted. One key per organisation key (a
 * rotation gets a new one), kept for years; its private half is sealed at rest like the office
 * keys, so a copy of the database alone cannot sign.
 */
export interface DocumentSigningKey {
  readonly privateKey: webcrypto.CryptoKey;
  /** DER of the document certificate (ECDSA P-256, issued by the org CA certificate). */
  readonly certificate: Uint8Array;
  /** DER of the org CA certificate (Ed25519, the organisation key, self-signed). */
  readonly issuerCertificate: Uint8Array;
  readonly orgKeyFingerprint: string;
}

/** Migration 0012: certificates are DER in standard base64, not_after ISO-8601 UTC. */
export interface DocumentSigningKeysTable {
  id: string;
  org_key_fingerprint: string;
  generation: number;
  private_key_sealed: string;
  certificate: string;
  issuer_certificate: string;
  not_after: string;
  created_at: string;
}

/** Long enough that a report outlives its signer's certificate only after a decade. */
const VALIDITY_MS = 10 * 365.25 * 24 * 3600 * 1000;
/** Another instance's clock may run a little behind the one that issued the certificate. */
const BACKDATE_MS = 24 * 3600 * 1000;
/** A certificate this close to its end is replaced before it signs again. */
const RENEW_BEFORE_MS = 90 * 24 * 3600 * 1000;

const ed25519SpkiPrefix = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const oid = { commonName: '2.5.4.3', ed25519: '1.3.101.112', basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', subjectKeyId: '2.5.29.14', authorityKeyId: '2.5.29.35' };

export function orgCaCommonName(fingerprint: string): string {
  return `Reclaim organisation ${fingerprint.slice(0, 16)}`;
}

function documentSignerCommonName(fingerprint: string): string {
  return `Reclaim custody records ${fingerprint.slice(0, 16)}`;
}

function distinguishedName(commonName: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({ typesAndValues: [new pkijs.AttributeTypeAndValue({ type: oid.commonName, value: new asn1js.Utf8String({ value: commonName }) })] });
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function certificateTime(date: Date): pkijs.Time {
  return new pkijs.Time({ type: date.getUTCFullYear() >= 2050 ? 1 : 0, value: date });
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER() });
}

/** KeyUsage is a DER BIT STRING: bit 0 is the high bit of the first byte, trailing zero bits dropped. */
function keyUsage(bits: readonly number[]): asn1js.BitString {
  const byte = bits.reduce((value, bit) => value | (0x80 >> bit), 0);
  return new asn1js.BitString({ valueHex: Uint8Array.from([byte]).buffer, unusedBits: 7 - Math.max(...bits) });
}

/** A positive 128-bit serial: RFC 5280 asks for unique, unpredictable, at most 20 octets. */
function serialNumber(): asn1js.Integer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return new asn1js.Integer({ valueHex: new Uint8Array(bytes).buffer });
}

/** RFC 7093 method 1: the leftmost 160 bits of the SHA-256 of the subjectPublicKey bits. */
async function keyIdentifier(subjectPublicKey: Uint8Array): Promise<asn1js.OctetString> {
  return new asn1js.OctetString({ valueHex: (await webcrypto.subtle.digest('SHA-256', new Uint8Array(subjectPublicKey))).slice(0, 20) });
}

/**
 * An X.509 v3 certificate signed by the organisation key, which is only reachable as a sign()
 * function, so the TBS bytes are signed directly (RFC 8410: Ed25519, no parameters).
 */
async function signedByOrg(
  org: OrgSigner,
  params: { subject: string; issuer: string; spki: Uint8Array; notBefore: Date; notAfter: Date; extensions: pkijs.Extension[] },
): Promise<Uint8Array> {
  const certificate = new pkijs.Certificate({
    version: 2,
    serialNumber: serialNumber(),
    signature: new pkijs.AlgorithmIdentifier({ algorithmId: oid.ed25519 }),
    issuer: distinguishedName(params.issuer),
    notBefore: certificateTime(params.notBefore),
    notAfter: certificateTime(params.notAfter),
    subject: distinguishedName(params.subject),
    subjectPublicKeyInfo: pkijs.PublicKeyInfo.fromBER(new Uint8Array(params.spki)),
    extensions: params.extensions,
  });
  certificate.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: oid.ed25519 });
  certificate.tbsView = new Uint8Array(certificate.encodeTBS().toBER());
  certificate.signatureValue = new asn1js.BitString({ valueHex: new Uint8Array(await org.sign(certificate.tbsView)).buffer });
  return new Uint8Array(certificate.toSchema().toBER());
}

/** The self-describing org CA certificate: the organisation key, certified by itself. */
export async function issueOrgCaCertificate(org: OrgSigner, validity: { notBefore: Date; notAfter: Date }): Promise<Uint8Array> {
  const publicKey = fromBase64(org.info.publicKey, 'the organisation public key');
  if (publicKey.length !== 32) throw new Error('the organisation key is not a 32-byte Ed25519 key');
  const name = orgCaCommonName(org.info.fingerprint);
  return signedByOrg(org, {
    subject: name,
    issuer: name,
    spki: Uint8Array.from([...ed25519SpkiPrefix, ...publicKey]),
    ...validity,
    extensions: [
      extension(oid.basicConstraints, true, new pkijs.BasicConstraints({ cA: true, pathLenConstraint: 0 }).toSchema()),
      extension(oid.keyUsage, true, keyUsage([5, 6])), // keyCertSign, cRLSign
      extension(oid.subjectKeyId, false, await keyIdentifier(publicKey)),
    ],
  });
}

/** The document certificate for an ECDSA P-256 public key (SPKI DER), issued by the org CA. */
export async function issueDocumentCertificate(org: OrgSigner, spki: Uint8Array, validity: { notBefore: Date; notAfter: Date }): Promise<Uint8Array> {
  const point = pkijs.PublicKeyInfo.fromBER(new Uint8Array(spki)).subjectPublicKey.valueBlock.valueHexView;
  const orgKey = fromBase64(org.info.publicKey, 'the organisation public key');
  return signedByOrg(org, {
    subject: documentSignerCommonName(org.info.fingerprint),
    issuer: orgCaCommonName(org.info.fingerprint),
    spki,
    ...validity,
    extensions: [
      extension(oid.basicConstraints, true, new pkijs.BasicConstraints({ cA: false }).toSchema()),
      // digitalSignature and nonRepudiation (content commitment): the organisation stands behind the report.
      extension(oid.keyUsage, true, keyUsage([0, 1])),
      extension(oid.subjectKeyId, false, await keyIdentifier(point)),
      extension(oid.authorityKeyId, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: await keyIdentifier(orgKey) }).toSchema()),
    ],
  });
}

/**
 * The organisation key may rotate between reading its description and signing; a certificate
 * whose signature is not by the key it names would be refused by every verifier, so it is never
 * stored.
 */
async function assertSignedByOrg(org: OrgSigner, der: Uint8Array): Promise<void> {
  const certificate = pkijs.Certificate.fromBER(new Uint8Array(der));
  const key = await webcrypto.subtle.importKey('raw', fromBase64(org.info.publicKey, 'the organisation public key'), { name: 'Ed25519' }, false, ['verify']);
  const good = await webcrypto.subtle.verify({ name: 'Ed25519' }, key, new Uint8Array(certificate.signatureValue.valueBlock.valueHexView), new Uint8Array(certificate.tbsView));
  if (!good) throw new Error(`the organisation key changed while certifying the document-signing key; it is no longer ${org.info.fingerprint}`);
}

/** The sealed value opens only for its own row and organisation key. */
function owner(row: { id: string; org_key_fingerprint: string }): OfficeKeyOwner {
  return { deviceKeyId: `document-signing:${row.id}`, userId: `organisation:${row.org_key_fingerprint}` };
}

async function newDocumentSigningKey(org: OrgSigner, vault: OfficeKeyVault, id: string, generation: number, now: Date) {
  const validity = { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + VALIDITY_MS) };
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const ca = await issueOrgCaCertificate(org, validity);
  const certificate = await issueDocumentCertificate(org, new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey)), validity);
  await assertSignedByOrg(org, ca);
  await assertSignedByOrg(org, certificate);
  const row = { id, org_key_fingerprint: org.info.fingerprint, generation };
  return {
    ...row,
    private_key_sealed: vault.seal(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey)), owner(row)),
    certificate: toBase64(certificate),
    issuer_certificate: toBase64(ca),
    not_after: validity.notAfter.toISOString(),
    created_at: now.toISOString(),
  };
}

/**
 * The organisation key's document-signing key, made on first use. Every instance on one database
 * signs with the same one: the row is inserted only if its (organisation key, generation) is
 * still free, and whoever loses the race reads the winner's row.
 */
export async function documentSigningKey(db: Kysely<Database>, vault: OfficeKeyVault, org: OrgSigner, now: Date): Promise<DocumentSigningKey> {
  const newest = () =>
    db.selectFrom('document_signing_keys').selectAll().where('org_key_fingerprint', '=', org.info.fingerprint).orderBy('generation', 'desc').limit(1).executeTakeFirst();
  let row = await newest();
  if (!row || Date.parse(row.not_after) - now.getTime() < RENEW_BEFORE_MS) {
    const fresh = await newDocumentSigningKey(org, vault, newId(), (row?.generation ?? 0) + 1, now);
    await db
      .insertInto('document_signing_keys')
      .values(fresh)
      .onConflict((conflict) => conflict.columns(['org_key_fingerprint', 'generation']).doNothing())
      .execute();
    row = await newest();
    if (!row) throw new Error('the document signing key was not stored');
  }
  let pkcs8: Uint8Array;
  try {
    pkcs8 = vault.open(row.private_key_sealed, owner(row));
  } catch (error) {
    if (error instanceof KeyEncryptionKeyError) throw new ProblemError(500, 'internal', `The organisation's document signing key cannot be used, so no report was signed. ${error.message}`);
    throw error;
  }
  return {
    privateKey: await webcrypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
    certificate: fromBase64(row.certificate, 'the document certificate'),
    issuerCertificate: fromBase64(row.issuer_certificate, 'the org CA certificate'),
    orgKeyFingerprint: row.org_key_fingerprint,
  };
}
