/**
 * The CMS of a signed custody PDF in its one encoding. The CMS sits in the only part of a signed
 * PDF its signature cannot cover (the /Contents hole), so every way to write the same value twice
 * is closed here: DER only, and ECDSA signatures with the low s (ECDSA's (r, s) and (r, n - s)
 * both verify). The signer writes this form; the verifier accepts nothing else.
 */
import * as asn1js from 'asn1js';

export const cmsOid = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ed25519: '1.3.101.112',
  basicConstraints: '2.5.29.19',
} as const;

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * DER's shape: definite lengths, no end-of-contents markers, no constructed strings. Callers also
 * compare the re-encoding with the input, which catches non-minimal lengths.
 */
export function isDer(block: asn1js.AsnType): boolean {
  if (block instanceof asn1js.EndOfContent || block.lenBlock.isIndefiniteForm) return false;
  if (!block.idBlock.isConstructed) return true;
  if (block.idBlock.tagClass === 1 && block.idBlock.tagNumber !== 16 && block.idBlock.tagNumber !== 17) return false;
  return block instanceof asn1js.Constructed && block.valueBlock.value.every(isDer);
}

/** The order of the P-256 group; an ECDSA signature (r, s) verifies as (r, n - s) too. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Whether an ECDSA-Sig-Value is strict DER with s in the lower half, its one spelling. */
export function isLowSEcdsaSignature(der: Uint8Array): boolean {
  const decoded = asn1js.fromBER(new Uint8Array(der), { parseEmbedded: false });
  const [r, s, ...rest] = decoded.result instanceof asn1js.Sequence ? decoded.result.valueBlock.value : [];
  if (decoded.offset !== der.length || !(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || rest.length > 0) return false;
  if (!isDer(decoded.result) || !sameBytes(new Uint8Array(decoded.result.toBER(false)), der)) return false;
  const [rValue, sValue] = [r.toBigInt(), s.toBigInt()];
  return rValue > 0n && rValue < P256_ORDER && sValue > 0n && sValue <= P256_ORDER / 2n;
}

/** The same signature with s moved to the lower half (what isLowSEcdsaSignature accepts). */
export function lowSEcdsaSignature(der: Uint8Array): Uint8Array {
  const decoded = asn1js.fromBER(new Uint8Array(der), { parseEmbedded: false });
  const [r, s] = decoded.result instanceof asn1js.Sequence ? decoded.result.valueBlock.value : [];
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) throw new Error('not an ECDSA-Sig-Value');
  const sValue = s.toBigInt();
  const low = sValue > P256_ORDER / 2n ? P256_ORDER - sValue : sValue;
  return new Uint8Array(new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(r.toBigInt()), asn1js.Integer.fromBigInt(low)] }).toBER(false));
}
