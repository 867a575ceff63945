import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundleZipBytes } from '../../scripts/bundle-zip-reader';
import { utf8 } from '../../shared/custody/canonical-json';
import { signCheckpoint, parseCheckpointText } from '../../shared/trust/checkpoint';
import { buildCustodyBundle, bundleFileBytes, bundlePaths, BundleBuildError, type BundleManifest } from '../../shared/trust/custody-bundle';
import { issueDeviceCertificate } from '../../shared/trust/device-certificate';
import { signNote } from '../../shared/trust/signed-note';
import { verifyCustodyBundle, type BundlePin } from '../../shared/trust/verify-bundle';
import { archiveFromFiles } from '../../shared/trust/zip-limits';
import { canonical, genuineBundle, jsonOf, makeOrganisation, resealed, withFile, withoutFile, zipFiles, type BundleFiles, type GenuineBundle, type TestOrganisation } from '../fixtures/custody-bundle';
import { subtle } from '../fixtures/custody-chain';
import { rawZip } from '../fixtures/raw-zip';

/**
 * The verifier answers one status and, at the first failure, what and where: the file, the
 * event by number and id, the field, expected and found. A person must be able to act on it.
 */
let org: TestOrganisation;
let genuine: GenuineBundle;
let pin: BundlePin;

beforeAll(async () => {
  org = await makeOrganisation({ rotated: true });
  genuine = await genuineBundle(org, { jobs: 2, itemsPerJob: 2, laterEventsPerJob: 3, devices: 2, photosPerJob: 1, otherLeaves: 4 });
  pin = { fingerprint: org.current.fingerprint };
});

const verify = (files: BundleFiles, against: BundlePin = pin) => verifyCustodyBundle(subtle, archiveFromFiles(files), against);
const eventsOf = (files: BundleFiles) => jsonOf(files, bundlePaths.events) as Record<string, unknown>[];
const insider = (files: BundleFiles, edit?: (manifest: BundleManifest) => BundleManifest) => resealed(files, org.current, edit, genuine.built.manifest);

describe('a genuine bundle', () => {
  it('is intact against the current key and against the key it rotated from, with who signed each event', async () => {
    for (const key of org.keys) {
      const verdict = await verify(genuine.files, { fingerprint: key.fingerprint });
      expect(verdict).toMatchObject({ status: 'intact', problem: null });
    }
    const verdict = await verify(genuine.files);
    expect(verdict.summary).toMatchObject({ organisation: { id: org.id, fingerprint: org.current.fingerprint, pinned: org.current.fingerprint }, events: genuine.events.length, items: 4 });
    expect(verdict.summary.signers.map((signer) => signer.eventId)).toEqual(genuine.events.map((event) => event.id));
    expect(verdict.summary.signers[0]).toMatchObject({ eventNumber: 1, deviceId: 'laptop-1', userName: 'agent1', role: 'agent' });
    expect(Date.parse(verdict.summary.signers[0]?.loggedAt ?? '')).toBeGreaterThan(Date.parse(verdict.summary.signers[0]?.at ?? ''));
    expect(verdict.checks.length).toBeGreaterThanOrEqual(10);
  });

  it('is only unpinned without a pin, saying no organisation was pinned', async () => {
    const verdict = await verify(genuine.files, null);
    expect(verdict.status).toBe('unpinned');
    expect(verdict.checks.join('\n')).toContain('NO organisation was pinned');
  });

  it('is intact when the organisation declares a photo it did not hold at export', async () => {
    const bundle = await genuineBundle(org, { jobs: 1, itemsPerJob: 1, laterEventsPerJob: 1, devices: 1, photosPerJob: 1, otherLeaves: 0, missingPhoto: true });
    const verdict = await verify(bundle.files);
    expect(verdict.status).toBe('intact');
    expect(verdict.summary.evidenceNotHeld).toHaveLength(1);
  });
});

describe('what and where', () => {
  it('another organisation: the pinned fingerprint, and the one that signed', async () => {
    const stranger = await makeOrganisation();
    const verdict = await verify(genuine.files, { fingerprint: stranger.current.fingerprint });
    expect(verdict).toMatchObject({ status: 'tampered', problem: { code: 'foreign_organisation', file: 'org-keys.json', expected: stranger.current.fingerprint, found: org.current.fingerprint } });
    const rebuilt = await genuineBundle(stranger);
    expect((await verify(rebuilt.files)).problem?.code).toBe('foreign_organisation');
  });

  it('a changed, removed or added file', async () => {
    const photo = genuine.files.find((file) => file.path.startsWith('evidence/'));
    if (!photo) throw new Error('a photo');
    const changed = await verify(withFile(genuine.files, photo.path, new Uint8Array([...photo.bytes.slice(1), 0])));
    expect(changed.problem).toMatchObject({ code: 'file_changed', file: photo.path, expected: photo.path.slice('evidence/'.length) });
    expect((await verify(withoutFile(genuine.files, photo.path))).problem).toMatchObject({ code: 'missing_file', file: photo.path });
    expect((await verify(withFile(genuine.files, 'notes.txt', utf8('hi')))).problem).toMatchObject({ code: 'unlisted_file', file: 'notes.txt' });
    expect((await verify(withoutFile(genuine.files, bundlePaths.manifest))).problem).toMatchObject({ code: 'missing_file', file: 'manifest.json' });
    expect((await verify(withoutFile(genuine.files, bundlePaths.readme))).problem).toMatchObject({ code: 'missing_file', file: 'README.txt' });
  });

  it('an edited manifest breaks its signature; a README edited under a re-signed manifest is named by line', async () => {
    const manifest = jsonOf(genuine.files, bundlePaths.manifest) as BundleManifest;
    const edited = await verify(withFile(genuine.files, bundlePaths.manifest, canonical({ ...manifest, generatedBy: { ...manifest.generatedBy, name: 'Someone Else' } })));
    expect(edited.problem).toMatchObject({ code: 'manifest_signature', file: 'manifest.json' });
    const readme = new TextDecoder().decode(genuine.files.find((file) => file.path === bundlePaths.readme)?.bytes).replace('Exported', 'Approved');
    const resigned = await insider(withFile(genuine.files, bundlePaths.readme, utf8(readme)));
    const listedReadme = (jsonOf(resigned, bundlePaths.manifest) as BundleManifest).files.map((file) => (file.path === bundlePaths.readme ? { ...file, size: utf8(readme).length, sha256: createHash('sha256').update(readme).digest('hex') } : file));
    const manifestBytes = canonical({ ...(jsonOf(resigned, bundlePaths.manifest) as BundleManifest), files: listedReadme });
    const note = await signNote(`reclaim custody bundle manifest\n${createHash('sha256').update(manifestBytes).digest('hex')}\n`, [org.current.signer]);
    const verdict = await verify(withFile(withFile(withFile(resigned, bundlePaths.readme, utf8(readme)), bundlePaths.manifest, manifestBytes), bundlePaths.manifestSignature, utf8(note)));
    expect(verdict.problem).toMatchObject({ code: 'readme', file: 'README.txt' });
    expect(verdict.problem?.field).toMatch(/^line \d+$/);
  });

  it('an event changed after signing: its number, id and the hash it should have', async () => {
    const events = eventsOf(genuine.files);
    events[2] = { ...events[2], note: 'destroyed on site' };
    const verdict = await verify(await insider(withFile(genuine.files, bundlePaths.events, canonical(events))));
    expect(verdict.problem).toMatchObject({ code: 'event_hash', file: 'events.json', eventNumber: 3, eventId: genuine.events[2]?.id, field: 'hash', expected: genuine.events[2]?.hash });
  });

  it('an unknown field beside a signed event, and a name padded with U+3000', async () => {
    const events = eventsOf(genuine.files);
    events[1] = { ...events[1], disposition: 'destroyed' };
    const unknown = await verify(await insider(withFile(genuine.files, bundlePaths.events, canonical(events))));
    expect(unknown.problem).toMatchObject({ code: 'event_schema', eventNumber: 2, eventId: genuine.events[1]?.id, field: 'disposition' });

    const padded = eventsOf(genuine.files);
    padded[0] = { ...padded[0], from: { ...(padded[0]?.from as object), name: 'Dana Customer\u3000' } };
    const spaced = await verify(await insider(withFile(genuine.files, bundlePaths.events, canonical(padded))));
    expect(spaced.problem).toMatchObject({ code: 'event_schema', eventNumber: 1, field: 'from' });
  });

  it('a duplicate key in front of a signed one: events.json is not its canonical form', async () => {
    const text = new TextDecoder().decode(genuine.files.find((file) => file.path === bundlePaths.events)?.bytes);
    const duplicated = text.replace('{"at"', '{"kind":"disposed","at"');
    const verdict = await verify(await insider(withFile(genuine.files, bundlePaths.events, utf8(duplicated))));
    expect(verdict.problem).toMatchObject({ code: 'not_canonical', file: 'events.json' });
  });

  it('a trail cut short, or one event removed among independent items: the item and its signed head', async () => {
    const events = eventsOf(genuine.files);
    const proofs = jsonOf(genuine.files, bundlePaths.logProofs) as unknown[];
    const last = events.length - 1;
    const cut = await verify(await insider(withFile(withFile(genuine.files, bundlePaths.events, canonical(events.slice(0, last))), bundlePaths.logProofs, canonical(proofs.slice(0, last)))));
    expect(cut.problem).toMatchObject({ code: 'head', file: 'manifest.json' });
    expect(cut.problem?.field).toMatch(/^items\.\d+\.head$/);
    expect(cut.problem?.reason).toContain('removed');
  });

  it('events re-signed by a substituted device key, under a certificate the organisation never signed', async () => {
    const certificates = jsonOf(genuine.files, bundlePaths.certificates) as { certificate: Record<string, unknown>; signature: string }[];
    const forger = await makeOrganisation();
    const first = genuine.input.certificates[0];
    if (!first) throw new Error('a certificate');
    const forged = await issueDeviceCertificate({ ...first.certificate, role: 'supervisor' }, forger.current.sign);
    const verdict = await verify(await insider(withFile(genuine.files, bundlePaths.certificates, canonical([forged, ...certificates.slice(1)]))));
    expect(verdict.problem).toMatchObject({ code: 'certificate', file: 'certificates.json', field: '0' });
  });

  it('a certificate that ended before the log accepted an event (a revoked device)', async () => {
    const revoked = await Promise.all(
      genuine.input.certificates.map((signed) => issueDeviceCertificate({ ...signed.certificate, notAfter: '2026-03-02T09:00:00.000Z' }, org.keys[0]?.sign ?? org.current.sign)),
    );
    const bundle = await buildCustodyBundle({ ...genuine.input, certificates: revoked });
    const verdict = await verify(await bundleFileBytes(bundle));
    expect(verdict.problem).toMatchObject({ code: 'certificate', eventNumber: 1, field: 'deviceKeyId' });
  });

  it('a manifest signed by a retired key after its retirement', async () => {
    const old = org.keys[0];
    if (!old) throw new Error('a rotated organisation');
    const bundle = await buildCustodyBundle({ ...genuine.input, signManifest: (text) => signNote(text, [old.signer]) });
    expect((await verify(await bundleFileBytes(bundle))).problem).toMatchObject({ code: 'manifest_signature', field: 'generatedAt' });
  });

  it('a checkpoint or a proof edited under a re-signed manifest', async () => {
    const checkpoint = await signCheckpoint({ ...parseCheckpointText(genuine.input.checkpoint.slice(0, genuine.input.checkpoint.indexOf('\n\n') + 1)), size: 999 }, org.current.signer);
    const resignedCheckpoint = await insider(genuine.files, (manifest) => ({ ...manifest, checkpoint }));
    expect((await verify(resignedCheckpoint)).problem).toMatchObject({ code: 'log_proof', eventNumber: 1, field: 'proof' });
    const proofs = jsonOf(genuine.files, bundlePaths.logProofs) as { proof: string[] }[];
    const hash = proofs[1]?.proof[0] ?? '';
    if (proofs[1]) proofs[1].proof[0] = `${hash[0] === 'a' ? 'b' : 'a'}${hash.slice(1)}`;
    expect((await verify(await insider(withFile(genuine.files, bundlePaths.logProofs, canonical(proofs))))).problem).toMatchObject({ code: 'log_proof', eventNumber: 2, file: 'log-proofs.json' });
  });

  it('zip-level refusals come first, with the entry', async () => {
    const duplicate = rawZip([...genuine.files.map((file) => ({ name: file.path, data: file.bytes })), { name: bundlePaths.events, data: utf8('[]') }]);
    const verdict = await verifyCustodyBundle(subtle, await readBundleZipBytes(duplicate), pin);
    expect(verdict).toMatchObject({ status: 'tampered', problem: { code: 'duplicate_entry', file: 'events.json' }, checks: [] });
    const intact = await verifyCustodyBundle(subtle, await readBundleZipBytes(zipFiles(genuine.files)), pin);
    expect(intact.status).toBe('intact');
  });
});

describe('the builder', () => {
  it('refuses proofs out of step with the events instead of making a bundle its verifier rejects', async () => {
    await expect(buildCustodyBundle({ ...genuine.input, proofs: genuine.input.proofs.slice(1) })).rejects.toThrow(BundleBuildError);
    await expect(buildCustodyBundle({ ...genuine.input, proofs: [...genuine.input.proofs].reverse() })).rejects.toThrow(/not the one of event/);
    await expect(buildCustodyBundle({ ...genuine.input, jobs: genuine.input.jobs.slice(1) })).rejects.toThrow(/does not list/);
  });
});
