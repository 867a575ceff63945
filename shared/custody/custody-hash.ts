import { canonicalize, utf8 } from './canonical-json';
import { CustodyEvent, custodyContentOf, type CustodyEventContent } from './custody-event';
import { ed25519, fromBase64Url, fromHex, sha256Hex, toBase64Url, type CryptoKeyHandle, type CustodySubtleCrypto } from './crypto-port';

/** The bytes a custody hash is taken over: the RFC 8785 form of the event's content. */
export function custodyBytes(content: CustodyEventContent): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(content));
}

export async function hashCustodyContent(subtle: CustodySubtleCrypto, content: CustodyEventContent): Promise<string> {
  return sha256Hex(subtle, custodyBytes(content));
}

/** Hashes and signs new content; the private key never leaves WebCrypto (non-extractable). */
export async function sealCustodyEvent(subtle: CustodySubtleCrypto, privateKey: CryptoKeyHandle, content: CustodyEventContent): Promise<CustodyEvent> {
  const hash = await hashCustodyContent(subtle, content);
  const signature = new Uint8Array(await subtle.sign(ed25519, privateKey, fromHex(hash)));
  return CustodyEvent.parse({ ...content, hash, signature: toBase64Url(signature) });
}

export type SealProblem = { kind: 'hash'; reason: string } | { kind: 'signature'; reason: string };

/** Checks one event on its own: its hash matches its content and its device signed that hash. */
export async function checkCustodySeal(subtle: CustodySubtleCrypto, event: CustodyEvent, publicKeyBase64Url: string): Promise<SealProblem | null> {
  const recomputed = await hashCustodyContent(subtle, custodyContentOf(event));
  if (recomputed !== event.hash) {
    return { kind: 'hash', reason: `its content hashes to ${recomputed.slice(0, 12)}…, not the recorded ${event.hash.slice(0, 12)}…: the record was changed after it was signed` };
  }
  let good = false;
  try {
    const key = await subtle.importKey('raw', fromBase64Url(publicKeyBase64Url), ed25519, false, ['verify']);
    good = await subtle.verify(ed25519, key, fromBase64Url(event.signature), fromHex(event.hash));
  } catch {
    good = false;
  }
  return good ? null : { kind: 'signature', reason: `its signature does not verify with the key of device ${event.deviceId}` };
}
