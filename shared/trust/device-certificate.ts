/**
 * A device certificate: the organisation key's statement that one laptop key belongs to one
 * device, one user, one role, for a period. A custody event's device signature counts only from
 * a key certified for the event's recorder at the time the log accepted it; a key the bundle
 * merely carries proves nothing. A revoked device gets a new certificate with an end.
 */
import { z } from 'zod';
import { canonicalize, utf8 } from '../custody/canonical-json';
import { ed25519, fromBase64Url, toBase64Url, type CustodySubtleCrypto } from '../custody/crypto-port';
import { DeviceKey } from '../custody/custody-event';
import { Role } from '../domain/roles';
import { UtcTime } from './log-leaf';
import { Fingerprint, type TrustedOrgKey, keyInServiceAt } from './org-key';

export const DEVICE_CERTIFICATE_FORMAT = 'reclaim-device-certificate-v1';

export const DeviceCertificateBody = z.strictObject({
  format: z.literal(DEVICE_CERTIFICATE_FORMAT),
  serial: z.uuid(),
  deviceKeyId: z.uuid(),
  deviceId: z.string().min(1).max(64),
  publicKey: DeviceKey.shape.publicKey,
  userId: z.uuid(),
  userName: z.string().min(1).max(64),
  displayName: z.string().min(1).max(128),
  role: Role,
  notBefore: UtcTime,
  /** Set when the device was revoked (or the user disabled): no signature counts after it. */
  notAfter: UtcTime.nullable(),
  issuedAt: UtcTime,
  issuerFingerprint: Fingerprint,
});
export type DeviceCertificateBody = z.infer<typeof DeviceCertificateBody>;

export const SignedDeviceCertificate = z.strictObject({
  certificate: DeviceCertificateBody,
  /** Ed25519 by the organisation key over the RFC 8785 bytes of certificate, unpadded base64url. */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature is 64 bytes'),
});
export type SignedDeviceCertificate = z.infer<typeof SignedDeviceCertificate>;

export function deviceCertificateBytes(body: DeviceCertificateBody): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(DeviceCertificateBody.parse(body)));
}

export async function issueDeviceCertificate(body: DeviceCertificateBody, sign: (bytes: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>): Promise<SignedDeviceCertificate> {
  const signature = await sign(deviceCertificateBytes(body));
  return { certificate: body, signature: toBase64Url(signature) };
}

/**
 * Checks a certificate against the organisation keys a verifier trusts: signed by one of them,
 * by a key that was in service when the certificate says it was issued. Null when it holds.
 */
export async function checkDeviceCertificate(subtle: CustodySubtleCrypto, signed: SignedDeviceCertificate, trusted: readonly TrustedOrgKey[]): Promise<string | null> {
  const body = signed.certificate;
  const issuer = trusted.find((key) => key.fingerprint === body.issuerFingerprint);
  if (!issuer) return `the certificate of device ${body.deviceId} names issuer ${body.issuerFingerprint.slice(0, 16)}…, which is not a key of the pinned organisation`;
  if (!keyInServiceAt(issuer, body.issuedAt)) return `the certificate of device ${body.deviceId} is dated ${body.issuedAt}, when its issuer key was not in service`;
  let good = false;
  try {
    const key = await subtle.importKey('raw', new Uint8Array(issuer.publicKey), ed25519, false, ['verify']);
    good = await subtle.verify(ed25519, key, fromBase64Url(signed.signature), deviceCertificateBytes(body));
  } catch {
    good = false;
  }
  if (!good) return `the certificate of device ${body.deviceId} does not verify with the organisation key: it was changed or forged`;
  if (body.notAfter !== null && Date.parse(body.notAfter) < Date.parse(body.notBefore)) return `the certificate of device ${body.deviceId} ends before it begins`;
  return null;
}

/** Whether a certificate covers a moment (the log's acceptance time of an event). */
export function certificateCovers(body: DeviceCertificateBody, at: string): boolean {
  const time = Date.parse(at);
  return time >= Date.parse(body.notBefore) && (body.notAfter === null || time < Date.parse(body.notAfter));
}
