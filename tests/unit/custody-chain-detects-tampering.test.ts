import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519, fromHex, toBase64Url } from '../../shared/custody/crypto-port';
import type { CustodyEvent } from '../../shared/custody/custody-event';
import { verifyChain } from '../../shared/custody/verify-chain';
import { newId } from '../../shared/ids';
import { custodyRecorder, makeDevice, subtle, type TestDevice } from '../fixtures/custody-chain';

const userId = newId();
const jobId = newId();
const modem = { itemId: newId(), serial: 'MDM-1001' };
const box = { itemId: newId(), serial: 'STB-2002' };

let device: TestDevice;
let chain: CustodyEvent[];
let keys: Map<string, string>;
const keyOf = (id: string) => keys.get(id) ?? null;

beforeAll(async () => {
  device = await makeDevice(userId);
  keys = new Map([[device.key.id, device.key.publicKey]]);
  const recorder = custodyRecorder(device, jobId, userId);
  chain = [
    await recorder.record('collected', [modem, box]),
    await recorder.record('sealed', [modem, box], { sealNumber: 'SEAL-77', from: { role: 'agent', name: 'Agent One', userId }, to: { role: 'agent', name: 'Agent One', userId } }),
    await recorder.record('received', [modem, box]),
    await recorder.record('returned_to_client', [modem]),
  ];
});

describe('verifyChain', () => {
  it('says an untouched record is intact', async () => {
    expect(await verifyChain(subtle, chain, keyOf)).toEqual({ intact: true, events: 4 });
  });

  it('verifies the RFC 8032 Ed25519 test vector 1 through the same WebCrypto port', async () => {
    const key = await subtle.importKey('raw', fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'), ed25519, false, ['verify']);
    const signature = fromHex(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(await subtle.verify(ed25519, key, signature, new Uint8Array(0))).toBe(true);
  });

  it.each([
    ['the time', (event: CustodyEvent) => ({ ...event, at: '2020-01-01T00:00:00.000Z' })],
    ['the receiving party', (event: CustodyEvent) => ({ ...event, to: { ...event.to, name: 'Someone Else' } })],
    ['an item serial', (event: CustodyEvent) => ({ ...event, items: event.items.map((item, i) => (i === 0 ? { ...item, serial: 'FAKE' } : item)) })],
    ['the place', (event: CustodyEvent) => ({ ...event, place: null })],
    ['a photo hash', (event: CustodyEvent) => ({ ...event, photoHashes: ['0'.repeat(64)] })],
    ['the seal number', (event: CustodyEvent) => ({ ...event, sealNumber: 'SEAL-78' })],
  ])('finds a change to %s at the event that was changed', async (_what, tamper) => {
    const tampered = chain.map((event, i) => (i === 1 ? tamper(event) : event));
    const verdict = await verifyChain(subtle, tampered, keyOf);
    expect(verdict).toMatchObject({ intact: false, index: 1, problem: 'hash' });
  });

  it('finds a removed event', async () => {
    const verdict = await verifyChain(subtle, [chain[0], chain[2], chain[3]], keyOf);
    expect(verdict).toMatchObject({ intact: false, index: 1, problem: 'chain' });
    if (!verdict.intact) expect(verdict.reason).toContain('missing or out of order');
  });

  it('finds reordered events', async () => {
    const verdict = await verifyChain(subtle, [chain[0], chain[2], chain[1], chain[3]], keyOf);
    expect(verdict).toMatchObject({ intact: false, index: 1, problem: 'chain' });
  });

  it('finds a wrong signature, and a signature by another device', async () => {
    const first = chain[0] as CustodyEvent;
    const flipped = { ...first, signature: toBase64Url(new Uint8Array(64).fill(7)) };
    expect(await verifyChain(subtle, [flipped, ...chain.slice(1)], keyOf)).toMatchObject({ intact: false, index: 0, problem: 'signature' });

    const other = await makeDevice(userId, first.deviceId);
    const forged = await custodyRecorder({ key: { ...other.key, id: device.key.id }, privateKey: other.privateKey }, jobId, userId).record('collected', [modem]);
    expect(await verifyChain(subtle, [forged], keyOf)).toMatchObject({ intact: false, index: 0, problem: 'signature' });
  });

  it('finds an unregistered key and a correction of an unknown event', async () => {
    expect(await verifyChain(subtle, chain, () => null)).toMatchObject({ intact: false, index: 0, problem: 'unknown_key' });
    const stray = await custodyRecorder(device, jobId, userId).record('collected', [{ itemId: newId(), serial: 'X-1' }], { correctsEventId: newId() });
    expect(await verifyChain(subtle, [stray], keyOf)).toMatchObject({ intact: false, index: 0, problem: 'correction' });
  });

  it('breaks at exactly the event whose field was changed, whichever it is (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.string({ minLength: 1, maxLength: 40 }), async (index, note) => {
        const original = chain[index] as CustodyEvent;
        fc.pre(note !== original.note);
        const tampered = chain.map((event, i) => (i === index ? { ...event, note } : event));
        expect(await verifyChain(subtle, tampered, keyOf)).toMatchObject({ intact: false, index, problem: 'hash' });
      }),
      { numRuns: 30 },
    );
  });

  it('a permutation other than the recorded order is never intact (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }), async (order) => {
        fc.pre(order.join() !== '0,1,2,3');
        const verdict = await verifyChain(subtle, order.map((i) => chain[i]), keyOf);
        expect(verdict.intact).toBe(false);
      }),
      { numRuns: 23 },
    );
  });
});
