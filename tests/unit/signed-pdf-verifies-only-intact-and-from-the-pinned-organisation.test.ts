import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DocumentSigningKey } from '../../server/supervise/document-signing-key';
import { signPdf } from '../../server/supervise/pdf-signature';
import type { OrgSigner } from '../../server/trust/org-signing-key-port';
import { cmsOid, isLowSEcdsaSignature } from '../../shared/trust/cades-der';
import { verifySignedPdf, type PinnedOrgKey } from '../../shared/trust/verify-signed-pdf';
import { throwawayDocumentSigningKey, throwawayOrgSigner } from '../fixtures/throwaway-org-signer';

/**
 * A signed custody PDF is PAdES B-B: one detached CAdES signature over every byte but its own,
 * by a document certificate the organisation's Ed25519 key issued. The verifier accepts it only
 * whole, unchanged, with nothing appended, and only against the organisation key it pinned; and
 * PDF readers (pdf.js, poppler) see the same signature and the same attached bundle.
 */
const subtle = webcrypto.subtle;
const signingTime = new Date('2026-11-24T15:04:05Z');
let org: OrgSigner;
let key: DocumentSigningKey;
let bundle: Uint8Array;
let signed: Uint8Array;
let pinned: PinnedOrgKey[];
let workDir: string;

async function report(signingKey: DocumentSigningKey, attachment: Uint8Array, at = signingTime): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Chain of custody record', { x: 50, y: 700, size: 18, font });
  await pdf.attach(attachment, 'custody-acme-1.zip', { mimeType: 'application/zip', creationDate: at, modificationDate: at });
  return signPdf(pdf, signingKey, { signingTime: at, name: 'Reclaim organisation', reason: 'Chain-of-custody record', location: 'Reclaim server', contactInfo: '' });
}

function byteRangeOf(pdf: Uint8Array): [number, number, number, number] {
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(Buffer.from(pdf).toString('latin1'));
  if (!match) throw new Error('no ByteRange');
  return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
}

function cmsOf(pdf: Uint8Array): pkijs.SignedData {
  const [, holeStart, holeEnd] = byteRangeOf(pdf);
  const der = Buffer.from(Buffer.from(pdf.subarray(holeStart + 1, holeEnd - 1)).toString('latin1'), 'hex');
  const decoded = asn1js.fromBER(new Uint8Array(der));
  return new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: decoded.result }).content });
}

/** An incremental update as a PDF editor writes one: a new object, an xref section, a trailer. */
function withIncrementalUpdate(pdf: Uint8Array): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const previousXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const size = Number(/\/Size (\d+)/.exec(text)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text)?.[1];
  const object = `\n${size} 0 obj\n<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (the item was never collected) >>\nendobj\n`;
  const objectAt = pdf.length + 1;
  const xrefAt = pdf.length + object.length;
  const update = `${object}xref\n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Prev ${previousXref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(update, 'latin1')]));
}

beforeAll(async () => {
  org = await throwawayOrgSigner();
  key = await throwawayDocumentSigningKey(org, signingTime);
  bundle = webcrypto.getRandomValues(new Uint8Array(20_000));
  signed = await report(key, bundle);
  pinned = [{ fingerprint: org.info.fingerprint, from: null, until: null }];
  workDir = await mkdtemp(join(tmpdir(), 'reclaim-signed-pdf-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('a signed custody PDF', () => {
  it('verifies against the pinned organisation key and yields its bundle byte for byte', async () => {
    const verdict = await verifySignedPdf(subtle, signed, pinned);
    if (!verdict.ok) throw new Error(verdict.message);
    expect(verdict.orgKeyFingerprint).toBe(org.info.fingerprint);
    expect(verdict.signingTime).toBe(signingTime.toISOString());
    expect(verdict.documentCertificate.subject).toBe(`CN=Reclaim custody records ${org.info.fingerprint.slice(0, 16)}`);
    expect(verdict.bundle.name).toBe('custody-acme-1.zip');
    expect(Buffer.from(verdict.bundle.bytes).equals(Buffer.from(bundle))).toBe(true);
  });

  it('is a detached CAdES signature with exactly the PAdES baseline attributes and the chain to the organisation key', () => {
    expect(Buffer.from(signed).toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
    const cms = cmsOf(signed);
    expect(cms.encapContentInfo.eContent).toBeUndefined();
    const attributes = cms.signerInfos[0]?.signedAttrs?.attributes.map((attribute) => attribute.type);
    // No signing-time attribute: PAdES keeps the claimed time in /M.
    expect(attributes).toEqual([cmsOid.contentType, cmsOid.messageDigest, cmsOid.signingCertificateV2]);
    expect(cms.signerInfos[0]?.signatureAlgorithm.algorithmId).toBe(cmsOid.ecdsaWithSha256);
    const certificates = (cms.certificates ?? []).filter((certificate): certificate is pkijs.Certificate => certificate instanceof pkijs.Certificate);
    expect(certificates.map((certificate) => certificate.subjectPublicKeyInfo.algorithm.algorithmId)).toEqual(['1.2.840.10045.2.1', cmsOid.ed25519]);
    const orgCa = certificates[1];
    expect(Buffer.from(orgCa?.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView ?? []).toString('base64')).toBe(org.info.publicKey);
  });

  it('fails when any one byte inside the signed range changes', async () => {
    const [, holeStart, holeEnd] = byteRangeOf(signed);
    const signedPositions = fc.oneof(fc.integer({ min: 0, max: holeStart - 1 }), fc.integer({ min: holeEnd, max: signed.length - 1 }));
    await fc.assert(
      fc.asyncProperty(signedPositions, fc.integer({ min: 1, max: 255 }), async (position, flip) => {
        const tampered = signed.slice();
        tampered[position] = (tampered[position] ?? 0) ^ flip;
        const verdict = await verifySignedPdf(subtle, tampered, pinned);
        expect(verdict.ok).toBe(false);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('names the changed document when a byte of the attached bundle changes', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const stream = text.indexOf('stream', text.indexOf('/Type /EmbeddedFile')) + 'stream\n'.length + 100;
    const tampered = signed.slice();
    tampered[stream] = (tampered[stream] ?? 0) ^ 0x20;
    const verdict = await verifySignedPdf(subtle, tampered, pinned);
    expect(verdict).toMatchObject({ ok: false, failure: 'message_digest_mismatch' });
  });

  it('fails when any one byte of the unsigned /Contents hole changes, so the CMS has one spelling', async () => {
    const [, holeStart, holeEnd] = byteRangeOf(signed);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: holeStart, max: holeEnd - 1 }), fc.integer({ min: 1, max: 255 }), async (position, flip) => {
        const tampered = signed.slice();
        tampered[position] = (tampered[position] ?? 0) ^ flip;
        expect((await verifySignedPdf(subtle, tampered, pinned)).ok).toBe(false);
      }),
      { numRuns: 300, seed: 13 },
    );
    const inPadding = signed.slice();
    inPadding[holeEnd - 10] = 0x31;
    expect(await verifySignedPdf(subtle, inPadding, pinned)).toMatchObject({ ok: false, failure: 'signature_malformed' });
  });

  it('refuses the other ECDSA spelling (r, n − s) of the very same signature', async () => {
    const [, holeStart, holeEnd] = byteRangeOf(signed);
    const cms = cmsOf(signed);
    const signerInfo = cms.signerInfos[0];
    if (!signerInfo) throw new Error('no signer');
    const signature = asn1js.fromBER(signerInfo.signature.valueBlock.valueHexView).result;
    const [r, s] = signature instanceof asn1js.Sequence ? signature.valueBlock.value : [];
    if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) throw new Error('not ECDSA');
    const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
    const high = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(r.toBigInt()), asn1js.Integer.fromBigInt(n - s.toBigInt())] }).toBER();
    signerInfo.signature = new asn1js.OctetString({ valueHex: high });
    const der = Buffer.from(new pkijs.ContentInfo({ contentType: cmsOid.signedData, content: cms.toSchema(true) }).toSchema().toBER());
    const hex = der.toString('hex').padEnd(holeEnd - holeStart - 2, '0');
    const respelled = new Uint8Array(Buffer.concat([Buffer.from(signed.subarray(0, holeStart + 1)), Buffer.from(hex, 'latin1'), Buffer.from(signed.subarray(holeEnd - 1))]));
    expect(respelled.length).toBe(signed.length);
    expect(isLowSEcdsaSignature(new Uint8Array(high))).toBe(false);
    expect(await verifySignedPdf(subtle, respelled, pinned)).toMatchObject({ ok: false, failure: 'signature_malformed', message: expect.stringMatching(/low s/) });
  });

  it('reports an incremental update appended after signing', async () => {
    const updated = withIncrementalUpdate(signed);
    // A PDF reader opens the update: it is a well-formed PDF, not garbage.
    expect((await PDFDocument.load(updated)).getPageCount()).toBe(1);
    const verdict = await verifySignedPdf(subtle, updated, pinned);
    expect(verdict).toMatchObject({ ok: false, failure: 'modified_after_signing' });
    if (!verdict.ok) expect(verdict.message).toMatch(/bytes were added after the signed part/);
  });

  it('fails against the pinned fingerprint when re-signed by another organisation, and says whose it is', async () => {
    const other = await throwawayOrgSigner();
    const resigned = await report(await throwawayDocumentSigningKey(other, signingTime), bundle);
    const verdict = await verifySignedPdf(subtle, resigned, pinned);
    expect(verdict).toMatchObject({ ok: false, failure: 'organisation_not_pinned', orgKeyFingerprint: other.info.fingerprint });
    if (!verdict.ok) expect(verdict.message).toContain(org.info.fingerprint);
  });

  it('fails when a certificate claims the pinned organisation key without its signature', async () => {
    const impostor = await throwawayOrgSigner();
    // The pinned key's public half, with the impostor's private key behind sign().
    const forged = await report(await throwawayDocumentSigningKey({ info: org.info, sign: (bytes) => impostor.sign(bytes) }, signingTime), bundle);
    expect(await verifySignedPdf(subtle, forged, pinned)).toMatchObject({ ok: false, failure: 'certificate_chain_invalid' });
  });

  it('is never ok without a pin, yet reports what it found', async () => {
    const verdict = await verifySignedPdf(subtle, signed, []);
    expect(verdict).toMatchObject({ ok: false, failure: 'organisation_not_pinned', orgKeyFingerprint: org.info.fingerprint });
    expect('bundle' in verdict && Buffer.from(verdict.bundle.bytes).equals(Buffer.from(bundle))).toBe(true);
  });

  it('fails when signed at a time its organisation key was not in service', async () => {
    const retired = [{ fingerprint: org.info.fingerprint, from: null, until: '2026-11-01T00:00:00Z' }];
    expect(await verifySignedPdf(subtle, signed, retired)).toMatchObject({ ok: false, failure: 'org_key_not_in_service' });
    const later = [{ fingerprint: org.info.fingerprint, from: '2026-11-01T00:00:00Z', until: null }];
    expect((await verifySignedPdf(subtle, signed, later)).ok).toBe(true);
  });

  it('refuses an unsigned PDF and a file that is not a PDF', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage();
    expect(await verifySignedPdf(subtle, await pdf.save(), pinned)).toMatchObject({ ok: false, failure: 'not_signed' });
    expect(await verifySignedPdf(subtle, new Uint8Array(Buffer.from('PK\u0003\u0004 a zip')), pinned)).toMatchObject({ ok: false, failure: 'unreadable' });
  });
});

describe('PDF readers', () => {
  const Attachments = z.record(z.string(), z.object({ filename: z.string(), content: z.instanceof(Uint8Array) }));

  it('pdf.js opens the signed PDF and sees the attached bundle', async () => {
    const document = await getDocument({ data: signed.slice(), isEvalSupported: false }).promise;
    const attachments = Attachments.parse(await document.getAttachments());
    await document.destroy();
    const files = Object.values(attachments);
    expect(files.map((file) => file.filename)).toEqual(['custody-acme-1.zip']);
    expect(Buffer.from(files[0]?.content ?? []).equals(Buffer.from(bundle))).toBe(true);
  });

  const pdfsig = spawnSync('pdfsig', ['-v'], { encoding: 'utf8' });
  it.skipIf(pdfsig.error !== undefined)('poppler’s pdfsig validates the signature (the organisation is not in its trust store)', async () => {
    const file = join(workDir, 'signed.pdf');
    await writeFile(file, signed);
    const output = spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout;
    expect(output).toContain('Signature Validation: Signature is Valid.');
    expect(output).toContain('Signature Type: ETSI.CAdES.detached');
    expect(output).toContain('Total document signed');
    expect(output).toContain(`Reclaim custody records ${org.info.fingerprint.slice(0, 16)}`);

    const updated = join(workDir, 'updated.pdf');
    await writeFile(updated, withIncrementalUpdate(signed));
    expect(spawnSync('pdfsig', [updated], { encoding: 'utf8' }).stdout).not.toContain('Total document signed');
  });
});
