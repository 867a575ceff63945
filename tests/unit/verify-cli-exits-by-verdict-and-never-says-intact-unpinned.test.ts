import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCommand } from '../../scripts/verify-bundle';
import { orgKeyInfo } from '../../shared/trust/org-key';
import { genuineBundle, makeOrganisation, withFile, zipFiles, type GenuineBundle, type TestOrganisation } from '../fixtures/custody-bundle';

/**
 * `npm run verify -- FILE --org-key KEY`: 0 only when everything verifies against the pinned
 * organisation, 1 tampered (what and where), 2 unreadable or a bad argument, 3 with no pin —
 * and then it never prints INTACT. The key can be a fingerprint or a file holding the key.
 */
let dir: string;
let org: TestOrganisation;
let genuine: GenuineBundle;
let bundlePath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reclaim-verify-cli-'));
  org = await makeOrganisation();
  genuine = await genuineBundle(org);
  bundlePath = join(dir, 'bundle.zip');
  await writeFile(bundlePath, genuine.zip);
});

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await verifyCommand(argv, (text) => (out += text));
  return { code, out };
}

describe('npm run verify', () => {
  it('exits 0 and prints INTACT with who signed what, for the pinned fingerprint or any form of the key', async () => {
    const info = orgKeyInfo(org.current.publicKey);
    const raw = join(dir, 'org.key');
    const json = join(dir, 'signing-key.json');
    const base64 = join(dir, 'org.pub');
    const fingerprintFile = join(dir, 'fingerprint.txt');
    await writeFile(raw, org.current.publicKey);
    await writeFile(json, JSON.stringify(info));
    await writeFile(base64, `${info.publicKey}\n`);
    await writeFile(fingerprintFile, `${info.fingerprint}\n`);
    for (const key of [info.fingerprint, info.fingerprint.toUpperCase(), raw, json, base64, fingerprintFile, info.publicKey]) {
      const { code, out } = await run(bundlePath, '--org-key', key);
      expect(code, `${key}: ${out}`).toBe(0);
      expect(out).toMatch(/^INTACT: every check holds against the pinned organisation key [0-9a-f]{64}/);
    }
    const { out } = await run(bundlePath, `--org-key=${info.fingerprint}`);
    expect(out).toContain('Agent 1 (agent1, agent) on device laptop-1');
    expect(out).toContain(`Events: ${genuine.events.length} on 4 item(s)`);
    expect(out).toContain('Custody log checkpoint: size');
  });

  it('exits 3 without --org-key, says what it checked and that nothing was pinned, never INTACT', async () => {
    const { code, out } = await run(bundlePath);
    expect(code).toBe(3);
    expect(out).toMatch(/^NOT PINNED/);
    expect(out).not.toContain('INTACT');
    expect(out).toContain(org.current.fingerprint);
    expect(out).toContain('Checked:');
  });

  it('exits 1 for another organisation or a changed file, saying what and where', async () => {
    const stranger = await makeOrganisation();
    const foreign = await run(bundlePath, '--org-key', stranger.current.fingerprint);
    expect(foreign.code).toBe(1);
    expect(foreign.out).toMatch(/^TAMPERED: /);
    expect(foreign.out).toContain('check:    foreign_organisation');
    const photo = genuine.files.find((file) => file.path.startsWith('evidence/'));
    if (!photo) throw new Error('a photo');
    const tamperedPath = join(dir, 'tampered.zip');
    await writeFile(tamperedPath, zipFiles(withFile(genuine.files, photo.path, new Uint8Array(photo.bytes.length))));
    const changed = await run(tamperedPath, '--org-key', org.current.fingerprint);
    expect(changed.code).toBe(1);
    expect(changed.out).toContain(`file:     ${photo.path}`);
    expect(changed.out).toContain('expected: ');
    // Tampered is tampered with or without a pin.
    expect((await run(tamperedPath)).code).toBe(1);
  });

  it('exits 2 for what is not a bundle, a missing file or a key it cannot read', async () => {
    const junk = join(dir, 'junk.zip');
    await writeFile(junk, 'not a zip');
    expect(await run(junk, '--org-key', org.current.fingerprint)).toMatchObject({ code: 2, out: expect.stringMatching(/^UNREADABLE: /) });
    expect((await run(join(dir, 'absent.zip'), '--org-key', org.current.fingerprint)).code).toBe(2);
    expect((await run(bundlePath, '--org-key', 'not-a-key')).code).toBe(2);
    const lying = join(dir, 'lying.json');
    await writeFile(lying, JSON.stringify({ ...orgKeyInfo(org.current.publicKey), fingerprint: 'ab'.repeat(32) }));
    expect(await run(bundlePath, '--org-key', lying)).toMatchObject({ code: 2, out: expect.stringContaining('names fingerprint') });
    expect((await run()).code).toBe(2);
    expect((await run(bundlePath, '--org-key')).code).toBe(2);
  });

  it('runs as the npm script with the same exit codes', { timeout: 60_000 }, async () => {
    const exec = promisify(execFile);
    const intact = await exec('npm', ['run', '--silent', 'verify', '--', bundlePath, '--org-key', org.current.fingerprint]);
    expect(intact.stdout).toMatch(/^INTACT/);
    const unpinned = await exec('npm', ['run', '--silent', 'verify', '--', bundlePath]).catch((error: { code: number; stdout: string }) => error);
    expect(unpinned).toMatchObject({ code: 3 });
  });
});
