import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundleFile } from '../../renderer/features/supervise/bundle-verifier';
import { readBundleZipBytes, readBundleZipFile } from '../../scripts/bundle-zip-reader';
import { bundleZipLimits, type BundleArchive, type BundleZipLimits } from '../../shared/trust/zip-limits';
import { genuineBundle, makeOrganisation, type GenuineBundle } from '../fixtures/custody-bundle';
import { rawZip, SYMLINK_MODE, unixMode, type RawZipEntry } from '../fixtures/raw-zip';

/**
 * The command line (yauzl) and the app (fflate over the central directory) read the same zip
 * the same way: the same files with the same hashes, and the same refusal, for the same reason,
 * of every archive a genuine bundle never is.
 */
let genuine: GenuineBundle;
beforeAll(async () => {
  genuine = await makeOrganisation().then((org) => genuineBundle(org));
});

async function both(bytes: Uint8Array, limits: BundleZipLimits = bundleZipLimits): Promise<BundleArchive> {
  const cli = await readBundleZipBytes(bytes, limits);
  const app = await readBundleFile(new Blob([new Uint8Array(bytes)]), limits);
  expect(app.refusal?.code, `the app reads it as ${app.refusal?.reason}, the command line as ${cli.refusal?.reason}`).toBe(cli.refusal?.code);
  expect(app.refusal?.status).toBe(cli.refusal?.status);
  const summary = (archive: BundleArchive) => [...archive.entries.values()].map((entry) => [entry.path, entry.size, entry.sha256, entry.bytes === null]);
  expect(summary(app)).toEqual(summary(cli));
  return cli;
}

const entry = (name: string | Uint8Array, data = new Uint8Array([1, 2, 3]), extra: Partial<RawZipEntry> = {}): RawZipEntry => ({ name, data, ...extra });
const zeros = (size: number) => new Uint8Array(size);

function streamedZip(files: { path: string; bytes: Uint8Array; stored: boolean }[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, chunk, final) => {
      if (error) return reject(error);
      chunks.push(chunk);
      if (final) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    for (const file of files) {
      const item = file.stored ? new ZipPassThrough(file.path) : new ZipDeflate(file.path, { level: 6 });
      zip.add(item);
      item.push(file.bytes, true);
    }
    zip.end();
  });
}

describe('a genuine bundle', () => {
  it('reads the same through both readers, keeping documents and only hashing evidence', async () => {
    const archive = await both(genuine.zip);
    expect(archive.refusal).toBeNull();
    expect([...archive.entries.keys()].sort()).toEqual(genuine.files.map((file) => file.path).sort());
    for (const file of genuine.files) {
      const read = archive.entries.get(file.path);
      expect(read?.size).toBe(file.bytes.length);
      if (file.path.startsWith('evidence/')) expect(read?.bytes).toBeNull();
      else expect(read?.bytes).toEqual(file.bytes);
    }
  });

  it('reads from a file lazily the same as from memory', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'reclaim-zip-')), 'bundle.zip');
    await writeFile(path, genuine.zip);
    const fromFile = await readBundleZipFile(path);
    const fromMemory = await readBundleZipBytes(genuine.zip);
    expect([...fromFile.entries.values()]).toEqual([...fromMemory.entries.values()]);
  });

  it('reads a streamed zip with data descriptors, even when a stored photo holds zip signatures', async () => {
    const photo = new Uint8Array([...zeros(100), 0x50, 0x4b, 0x07, 0x08, ...zeros(16), 0x50, 0x4b, 0x01, 0x02, ...zeros(100), 0x50, 0x4b, 0x03, 0x04, 9, 9]);
    const bytes = await streamedZip([
      { path: 'events.json', bytes: new TextEncoder().encode('[]'), stored: false },
      { path: 'evidence/abc', bytes: photo, stored: true },
    ]);
    const archive = await both(bytes);
    expect(archive.refusal).toBeNull();
    expect(archive.entries.get('evidence/abc')?.size).toBe(photo.length);
  });

  it('accepts an evidence/ directory entry a zip tool may add', async () => {
    const archive = await both(rawZip([entry('evidence/', zeros(0)), entry('evidence/abc')]));
    expect(archive.refusal).toBeNull();
  });
});

describe('archives a genuine bundle never is', () => {
  const cases: [string, Uint8Array, string, 'tampered' | 'unreadable'][] = [
    ['two entries of one name', rawZip([entry('events.json'), entry('events.json', new Uint8Array([9]))]), 'duplicate_entry', 'tampered'],
    ['names that differ only in case', rawZip([entry('README.txt'), entry('readme.txt')]), 'duplicate_entry', 'tampered'],
    ['a path climbing out with ..', rawZip([entry('../../.bashrc')]), 'unsafe_path', 'tampered'],
    ['.. inside evidence/', rawZip([entry('evidence/../../x')]), 'unsafe_path', 'tampered'],
    ['an absolute path', rawZip([entry('/etc/passwd')]), 'unsafe_path', 'tampered'],
    ['a drive letter', rawZip([entry('C:/Windows/x.dll')]), 'unsafe_path', 'tampered'],
    ['a backslash', rawZip([entry('evidence\\..\\x')]), 'unsafe_path', 'tampered'],
    ['a NUL in a name', rawZip([entry('events.json\u0000.txt')]), 'unsafe_path', 'tampered'],
    ['a newline in a name', rawZip([entry('events.json\n')]), 'unsafe_path', 'tampered'],
    ['an ideographic space in a name', rawZip([entry('events\u3000.json')]), 'unsafe_path', 'tampered'],
    ['overlong UTF-8 in a name', rawZip([entry(new Uint8Array([0x65, 0xc0, 0xaf, 0x78]))]), 'unsafe_path', 'tampered'],
    ['an empty path segment', rawZip([entry('evidence//x')]), 'unsafe_path', 'tampered'],
    ['a symbolic link', rawZip([entry('evidence/abc', new TextEncoder().encode('/etc/passwd'), { externalAttributes: unixMode(SYMLINK_MODE), versionMadeBy: (3 << 8) | 20 })]), 'symlink', 'tampered'],
    ['a device file', rawZip([entry('evidence/abc', zeros(0), { externalAttributes: unixMode(0o020644), versionMadeBy: (3 << 8) | 20 })]), 'special_file', 'tampered'],
    ['a directory other than evidence/', rawZip([entry('docs/', zeros(0))]), 'directory', 'tampered'],
    ['a local header naming another file', rawZip([entry('events.json', undefined, { localName: 'evil.json' })]), 'header_mismatch', 'tampered'],
    ['a second (Unicode path) name', rawZip([entry('events.json', undefined, { extra: new Uint8Array([0x75, 0x70, 5, 0, 1, 0, 0, 0, 0]) })]), 'second_name', 'tampered'],
    ['an encrypted entry', rawZip([entry('events.json', zeros(15), { flags: 0x801, declaredSize: 3 })]), 'encrypted', 'unreadable'],
    ['an encrypted entry whose sizes do not allow for its header', rawZip([entry('events.json', undefined, { flags: 0x801 })]), 'damaged', 'unreadable'],
    ['bzip2 compression', rawZip([entry('events.json', undefined, { method: 12 })]), 'unsupported_compression', 'unreadable'],
    ['a zip bomb: 2 MiB of zeros in 2 kB', rawZip([entry('evidence/abc', zeros(2 * 1024 * 1024), { method: 8 })]), 'compression_ratio', 'unreadable'],
    ['a header that lies about the size', rawZip([entry('evidence/abc', zeros(2 * 1024 * 1024), { method: 8, declaredSize: 100 })]), 'expands_past_header', 'unreadable'],
    ['a stored entry whose sizes disagree', rawZip([entry('events.json', undefined, { declaredCompressedSize: 2 })]), 'damaged', 'unreadable'],
    ['not a zip', new TextEncoder().encode('this is not a zip file at all, just some text'), 'not_a_zip', 'unreadable'],
    ['bytes after the end record', new Uint8Array([...rawZip([entry('events.json')]), 1, 2, 3]), 'not_a_zip', 'unreadable'],
  ];
  for (const [name, bytes, code, status] of cases) {
    it(`refuses ${name} (${code}), in both readers`, async () => {
      const archive = await both(bytes);
      expect(archive.refusal).toMatchObject({ code, status });
      expect(archive.refusal?.reason.length).toBeGreaterThan(20);
    });
  }

  it('refuses a genuine bundle cut short', async () => {
    const archive = await both(genuine.zip.slice(0, Math.floor(genuine.zip.length / 2)));
    expect(archive.refusal).toMatchObject({ status: 'unreadable' });
  });

  it('refuses entries that overlap an earlier entry', async () => {
    const bytes = rawZip([entry('evidence/aaa', zeros(64)), entry('evidence/bbb', zeros(64))]);
    // Point the second central record at the first local header.
    const view = new DataView(bytes.buffer);
    const central = bytes.length - 22 - (46 + 'evidence/bbb'.length);
    view.setUint32(central + 42, 0, true);
    const archive = await both(bytes);
    expect(archive.refusal?.status).toBe('tampered');
    expect(['overlapping_entries', 'header_mismatch']).toContain(archive.refusal?.code);
  });

  it('stops at the limits for entries, entry size and total size', async () => {
    const small: BundleZipLimits = { ...bundleZipLimits, maxEntries: 3, maxEvidenceBytes: 1000, maxDocumentBytes: 500, maxExpandedBytes: 1500 };
    expect((await both(rawZip([entry('evidence/a'), entry('evidence/b'), entry('evidence/c'), entry('evidence/d')]), small)).refusal).toMatchObject({ code: 'too_many_entries', status: 'unreadable' });
    expect((await both(rawZip([entry('evidence/a', zeros(1001))]), small)).refusal).toMatchObject({ code: 'entry_too_large', status: 'unreadable' });
    expect((await both(rawZip([entry('events.json', zeros(501))]), small)).refusal).toMatchObject({ code: 'entry_too_large' });
    expect((await both(rawZip([entry('evidence/a', zeros(900)), entry('evidence/b', zeros(900))]), small)).refusal).toMatchObject({ code: 'bundle_too_large', status: 'unreadable' });
    expect((await both(genuine.zip, { ...bundleZipLimits, maxFileBytes: 100 })).refusal).toMatchObject({ code: 'file_too_large' });
  });
});
