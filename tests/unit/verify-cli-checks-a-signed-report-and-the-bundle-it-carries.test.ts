import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand } from '../../scripts/verify-bundle';
import { signPdf } from '../../server/supervise/pdf-signature';
import type { OrgSigner } from '../../server/trust/org-signing-key-port';
import { orgKeyInfo } from '../../shared/trust/org-key';
import { fileOf, genuineBundle, makeOrganisation, withFile, zipFiles, type GenuineBundle, type TestOrganisation } from '../fixtures/custody-bundle';
import { throwawayDocumentSigningKey } from '../fixtures/throwaway-org-signer';

/**
 * `npm run verify -- report.pdf --org-key FP` checks the report's PAdES signature and then the
 * bundle it carries with the same strict verifier as a bare zip, and that both are the pinned
 * organisation's: a report signed by one organisation around another's bundle is refused.
 */
let dir: string;
let org: TestOrganisation;
let genuine: GenuineBundle;

const signingTime = new Date('2026-03-04T12:00:00Z');

function orgSigner(organisation: TestOrganisation): OrgSigner {
  return { info: orgKeyInfo(organisation.current.publicKey), sign: organisation.current.sign };
}

async function report(signer: OrgSigner, bundle: Uint8Array, name: string): Promise<string> {
  const key = await throwawayDocumentSigningKey(signer, signingTime);
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage().drawText('Chain of custody record', { x: 50, y: 700, size: 18, font });
  await pdf.attach(bundle, 'custody-ACCT-1000.zip', { mimeType: 'application/zip', creationDate: signingTime, modificationDate: signingTime });
  const signed = await signPdf(pdf, key, { signingTime, name: 'Reclaim organisation', reason: 'Chain-of-custody record', location: 'Reclaim server', contactInfo: '' });
  const path = join(dir, name);
  await writeFile(path, signed);
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await verifyCommand(argv, (text) => (out += text));
  return { code, out };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reclaim-verify-report-'));
  org = await makeOrganisation();
  genuine = await genuineBundle(org);
});

describe('npm run verify on a signed report', () => {
  it('is intact against the organisation, says what it checked of the PDF, and is only unpinned without a pin', async () => {
    const path = await report(orgSigner(org), genuine.zip, 'report.pdf');
    const intact = await run(path, '--org-key', org.current.fingerprint);
    expect(intact.code, intact.out).toBe(0);
    expect(intact.out).toMatch(/^INTACT/);
    expect(intact.out).toContain('PDF: one PAdES signature');
    expect(intact.out).toContain('PDF and bundle: signed by the same organisation');
    const unpinned = await run(path);
    expect(unpinned.code).toBe(3);
    expect(unpinned.out).not.toContain('INTACT');
    const stranger = await makeOrganisation();
    expect((await run(path, '--org-key', stranger.current.fingerprint)).code).toBe(1);
  });

  it('refuses a report whose bundle was changed before it was signed, naming the file', async () => {
    const photo = genuine.files.find((file) => file.path.startsWith('evidence/'));
    if (!photo) throw new Error('a photo');
    const changed = zipFiles(withFile(genuine.files, photo.path, new Uint8Array(fileOf(genuine.files, photo.path).length)));
    const { code, out } = await run(await report(orgSigner(org), changed, 'changed.pdf'), '--org-key', org.current.fingerprint);
    expect(code).toBe(1);
    expect(out).toContain(`file:     ${photo.path}`);
  });

  it('refuses one organisation\'s signature around another organisation\'s bundle', async () => {
    const other = await makeOrganisation();
    const { code, out } = await run(await report(orgSigner(other), genuine.zip, 'wrapped.pdf'), '--org-key', org.current.fingerprint);
    expect(code).toBe(1);
    expect(out).toContain('check:    pdf_signature');
  });

  it('refuses a report changed after it was signed', async () => {
    const path = await report(orgSigner(org), genuine.zip, 'edited.pdf');
    const bytes = new Uint8Array(await readFile(path));
    // One byte of the signed range, well inside the document body.
    const at = Math.floor(bytes.length / 3);
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    await writeFile(path, bytes);
    const { code } = await run(path, '--org-key', org.current.fingerprint);
    expect([1, 2]).toContain(code);
  });
});
