import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519, fromHex, toBase64Url } from '../../shared/custody/crypto-port';
import { newId } from '../../shared/ids';
import { checkpointText, custodyLogOrigin, openCheckpoint, signCheckpoint } from '../../shared/trust/checkpoint';
import { certificateCovers, checkDeviceCertificate, issueDeviceCertificate, type DeviceCertificateBody } from '../../shared/trust/device-certificate';
import { emptyTreeHash } from '../../shared/trust/merkle-log';
import { orgKeyFingerprint, orgKeyInfo, orgKeyName, orgKeyVerifier, signOrgKeyRotation, trustedOrgKeys, type TrustedOrgKey } from '../../shared/trust/org-key';
import { noteKeyId, openNote, signNote, type NoteSigner } from '../../shared/trust/signed-note';
import { fromBase64, parseCanonicalJson, strictUtf8, toBase64 } from '../../shared/trust/strict-bytes';

const subtle = webcrypto.subtle;
const vectors = JSON.parse(readFileSync(new URL('../fixtures/trust/ed25519-rfc8032.json', import.meta.url), 'utf8')) as {
  vectors: { secret_key: string; public_key: string; message: string; signature: string }[];
};

async function vectorKey(secretHex: string, publicHex: string) {
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(fromHex(secretHex)), x: toBase64Url(fromHex(publicHex)) };
  return subtle.importKey('jwk', jwk, ed25519, false, ['sign']);
}

async function orgSigner(): Promise<NoteSigner & { sign(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> }> {
  const pair = (await subtle.generateKey(ed25519, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return { name: orgKeyName(orgKeyFingerprint(publicKey)), publicKey, sign: async (bytes) => new Uint8Array(await subtle.sign(ed25519, pair.privateKey, bytes)) };
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[Math.floor(bit / 8)] = (copy[Math.floor(bit / 8)] ?? 0) ^ (1 << bit % 8);
  return copy;
}

describe('Ed25519 as the trust layer uses it matches RFC 8032', () => {
  it('signs each test vector to its published signature and refuses any one bit changed', async () => {
    for (const vector of vectors.vectors) {
      const key = await vectorKey(vector.secret_key, vector.public_key);
      const message = fromHex(vector.message);
      const signature = new Uint8Array(await subtle.sign(ed25519, key, message));
      expect(Buffer.from(signature).toString('hex')).toBe(vector.signature);
      const verifyKey = await subtle.importKey('raw', fromHex(vector.public_key), ed25519, false, ['verify']);
      expect(await subtle.verify(ed25519, verifyKey, signature, message)).toBe(true);
      for (const bit of [0, 100, 300, 511]) expect(await subtle.verify(ed25519, verifyKey, flipBit(signature, bit), message)).toBe(false);
      if (message.length > 0) expect(await subtle.verify(ed25519, verifyKey, signature, flipBit(message, 0))).toBe(false);
    }
  });
});

describe('signed notes follow one grammar', () => {
  it('verify as signed and refuse a changed text, a changed signature and a malformed block', async () => {
    const signer = await orgSigner();
    const note = await signNote('hello\nworld\n', [signer]);
    expect(note).toMatch(/^hello\nworld\n\n\u2014 reclaim\.org\/[0-9a-f]{16} [A-Za-z0-9+/]{91}=\n$/u);
    const opened = await openNote(subtle, note, [orgKeyVerifier(signer.publicKey)]);
    expect(opened.text).toBe('hello\nworld\n');
    expect(opened.signatures[0]?.verifier).not.toBeNull();
    await expect(openNote(subtle, note.replace('world', 'World'), [orgKeyVerifier(signer.publicKey)])).rejects.toThrow(/does not verify/);
    await expect(openNote(subtle, note.replace('\u2014 ', '- '), [orgKeyVerifier(signer.publicKey)])).rejects.toThrow(/malformed/);
    await expect(openNote(subtle, `${note}trailing`, [orgKeyVerifier(signer.publicKey)])).rejects.toThrow();
    await expect(openNote(subtle, note.replace(/\n$/, ''), [orgKeyVerifier(signer.publicKey)])).rejects.toThrow();
    await expect(signNote('no newline', [signer])).rejects.toThrow();
  });

  it('name keys by the 4-byte hash of name and key', () => {
    const key = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(noteKeyId('a', key)).not.toBe(noteKeyId('b', key));
    expect(noteKeyId('a', key)).toBe(noteKeyId('a', new Uint8Array(key)));
  });
});

describe('checkpoints', () => {
  it('open only for their log and their key', async () => {
    const signer = await orgSigner();
    const origin = custodyLogOrigin(newId());
    const note = await signCheckpoint({ origin, size: 0, root: emptyTreeHash, time: '2026-12-04T05:00:00.000Z' }, signer);
    const { checkpoint } = await openCheckpoint(subtle, note, [orgKeyVerifier(signer.publicKey)], origin);
    expect(checkpoint.size).toBe(0);
    expect(checkpointText(checkpoint)).toBe(note.slice(0, note.indexOf('\n\n') + 1));
    await expect(openCheckpoint(subtle, note, [orgKeyVerifier(signer.publicKey)], custodyLogOrigin(newId()))).rejects.toThrow(/for the log/);
    const other = await orgSigner();
    await expect(openCheckpoint(subtle, note, [orgKeyVerifier(other.publicKey)], origin)).rejects.toThrow(/not signed/);
  });
});

describe('organisation key rotation', () => {
  it('trusts the whole chain from either end and nothing from another organisation', async () => {
    const organisationId = newId();
    const first = await orgSigner();
    const second = await orgSigner();
    const rotation = await signOrgKeyRotation({ organisationId, previous: first.publicKey, next: second.publicKey, at: '2026-12-01T00:00:00.000Z' }, first, second);
    const history = { organisationId, current: orgKeyInfo(second.publicKey), rotations: [rotation] };
    for (const pin of [orgKeyFingerprint(first.publicKey), orgKeyFingerprint(second.publicKey)]) {
      const trusted = await trustedOrgKeys(subtle, pin, history);
      expect(trusted.map((key) => key.fingerprint)).toEqual([orgKeyFingerprint(first.publicKey), orgKeyFingerprint(second.publicKey)]);
      expect(trusted[0]?.until).toBe('2026-12-01T00:00:00.000Z');
    }
    const stranger = await orgSigner();
    await expect(trustedOrgKeys(subtle, orgKeyFingerprint(stranger.publicKey), history)).rejects.toThrow(/pinned fingerprint/);
    const singleSigned = await signNote(rotation.slice(0, rotation.indexOf('\n\n') + 1), [second]);
    await expect(trustedOrgKeys(subtle, orgKeyFingerprint(second.publicKey), { ...history, rotations: [singleSigned] })).rejects.toThrow(/both/);
    const forged = await signOrgKeyRotation({ organisationId, previous: stranger.publicKey, next: second.publicKey, at: '2026-12-01T00:00:00.000Z' }, stranger, second);
    await expect(trustedOrgKeys(subtle, orgKeyFingerprint(first.publicKey), { ...history, rotations: [forged] })).rejects.toThrow(/pinned fingerprint/);
  });
});

describe('device certificates', () => {
  it('verify with the issuing organisation key only, unchanged, within their period', async () => {
    const org = await orgSigner();
    const trusted: TrustedOrgKey[] = [{ ...orgKeyVerifier(org.publicKey), fingerprint: orgKeyFingerprint(org.publicKey), from: null, until: null }];
    const body: DeviceCertificateBody = {
      format: 'reclaim-device-certificate-v1',
      serial: newId(),
      deviceKeyId: newId(),
      deviceId: 'laptop-7',
      publicKey: toBase64Url(new Uint8Array(32).fill(7)),
      userId: newId(),
      userName: 'agent1',
      displayName: 'Alex Agent',
      role: 'agent',
      notBefore: '2026-12-01T00:00:00.000Z',
      notAfter: '2026-12-03T00:00:00.000Z',
      issuedAt: '2026-12-03T00:00:00.000Z',
      issuerFingerprint: orgKeyFingerprint(org.publicKey),
    };
    const signed = await issueDeviceCertificate(body, org.sign);
    expect(await checkDeviceCertificate(subtle, signed, trusted)).toBeNull();
    expect(await checkDeviceCertificate(subtle, { ...signed, certificate: { ...body, role: 'admin' } }, trusted)).toMatch(/changed or forged/);
    const other = await orgSigner();
    const forged = await issueDeviceCertificate(body, other.sign);
    expect(await checkDeviceCertificate(subtle, forged, trusted)).toMatch(/changed or forged/);
    expect(certificateCovers(body, '2026-12-02T00:00:00.000Z')).toBe(true);
    expect(certificateCovers(body, '2026-12-03T00:00:00.000Z')).toBe(false);
    expect(certificateCovers(body, '2026-11-30T23:59:59.999Z')).toBe(false);
  });
});

describe('strict bytes', () => {
  it('refuse overlong UTF-8, encoded surrogates and cut characters', () => {
    expect(strictUtf8(new Uint8Array([0x41, 0xc3, 0xa9]), 'x')).toBe('Aé');
    expect(() => strictUtf8(new Uint8Array([0xc0, 0xaf]), 'x')).toThrow(/overlong/);
    expect(() => strictUtf8(new Uint8Array([0xe0, 0x80, 0xaf]), 'x')).toThrow(/overlong/);
    expect(() => strictUtf8(new Uint8Array([0xed, 0xa0, 0x80]), 'x')).toThrow(/surrogate/);
    expect(() => strictUtf8(new Uint8Array([0xe2, 0x82]), 'x')).toThrow(/cut short/);
  });

  it('take JSON only in its RFC 8785 form', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(parseCanonicalJson(bytes('{"a":1,"b":[true,null,"x"]}'), 'f')).toEqual({ a: 1, b: [true, null, 'x'] });
    for (const variant of ['{"a":1, "b":2}', '{"b":2,"a":1}', '{"a":1,"a":1}', '{"a":1.0}', '{"a":1e2}', '{"a":"\\u0041"}', '{"a":1}\n', '\ufeff{"a":1}']) {
      expect(() => parseCanonicalJson(bytes(variant), 'f'), variant).toThrow();
    }
  });

  it('take base64 only in its one spelling', () => {
    expect(Buffer.from(fromBase64(toBase64(new Uint8Array([1, 2, 3, 4])), 'x'))).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(() => fromBase64('AQIDBA=', 'x')).toThrow();
    expect(() => fromBase64('AQIDBB==', 'x')).toThrow(/padding/);
    expect(() => fromBase64('AQID BA==', 'x')).toThrow();
  });
});
