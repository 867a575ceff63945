import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/custody/canonical-json';
import { bundlePaths, jsonBytes, verifyBundle } from '../../shared/supervise/custody-bundle';
import { dispositionNote, readDispositionNote } from '../../shared/supervise/disposition';
import { newId } from '../../shared/ids';
import { custodyRecorder, makeDevice, subtle } from '../fixtures/custody-chain';

async function bundle() {
  const userId = newId();
  const device = await makeDevice(userId);
  const recorder = custodyRecorder(device, newId(), userId);
  const photo = utf8('photo bytes');
  const photoHash = createHash('sha256').update(photo).digest('hex');
  const items = [{ itemId: newId(), serial: 'SN-1' }, { itemId: newId(), serial: 'SN-2' }];
  const events = [
    await recorder.record('collected', items, { photoHashes: [photoHash] }),
    await recorder.record('received', items.slice(0, 1)),
    await recorder.record('received', items.slice(1)),
  ];
  const files = new Map<string, Uint8Array>([
    [bundlePaths.events, jsonBytes(events)],
    [bundlePaths.deviceKeys, jsonBytes([device.key])],
    [bundlePaths.blob(photoHash), photo],
  ]);
  return { files, events, photoHash };
}

describe('the bundle verifier', () => {
  it('says intact, with the final hash, for an untouched bundle', async () => {
    const { files, events } = await bundle();
    expect(await verifyBundle(subtle, files)).toEqual({ intact: true, events: 3, finalHash: events[2]?.hash });
  });

  it('names the event whose photo changed, whose content changed, or that is out of order', async () => {
    const { files, events, photoHash } = await bundle();
    const photo = new Map(files).set(bundlePaths.blob(photoHash), utf8('photo bytez'));
    expect(await verifyBundle(subtle, photo)).toMatchObject({ intact: false, eventNumber: 1, problem: 'evidence_changed' });
    const missingPhoto = new Map(files);
    missingPhoto.delete(bundlePaths.blob(photoHash));
    expect(await verifyBundle(subtle, missingPhoto)).toMatchObject({ intact: false, eventNumber: 1, problem: 'evidence_missing' });
    const edited = events.map((event, index) => (index === 1 ? { ...event, at: '2020-01-01T00:00:00.000Z' } : event));
    expect(await verifyBundle(subtle, new Map(files).set(bundlePaths.events, jsonBytes(edited)))).toMatchObject({ intact: false, eventNumber: 2, problem: 'hash' });
    // Dropping the last event of an item's chain leaves a shorter chain that still holds: the
    // printed record's event count and final hash (its QR code) are what reveal a truncated bundle.
    const dropped = [events[0], events[2]];
    expect(await verifyBundle(subtle, new Map(files).set(bundlePaths.events, jsonBytes(dropped)))).toMatchObject({ intact: true, events: 2 });
    const reordered = [events[1], events[0], events[2]];
    expect(await verifyBundle(subtle, new Map(files).set(bundlePaths.events, jsonBytes(reordered)))).toMatchObject({ intact: false, eventNumber: 1, problem: 'chain' });
    expect(await verifyBundle(subtle, new Map(files).set(bundlePaths.deviceKeys, jsonBytes([])))).toMatchObject({ intact: false, eventNumber: 1, problem: 'unknown_key' });
    expect(await verifyBundle(subtle, new Map(files).set(bundlePaths.events, utf8('[{"broken"')))).toMatchObject({ intact: false, problem: 'malformed' });
  });

  it('reads back the disposition sealed into a note', () => {
    const note = dispositionNote({ disposition: 'recycled', toName: 'Metro Recycling', note: 'pallet 4', certificate: null });
    expect(readDispositionNote(note)).toEqual({ disposition: 'recycled', note: 'pallet 4', certificate: null });
    expect(readDispositionNote('an ordinary note')).toBeNull();
  });
});
