import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobHashMismatchError } from '../../server/blobs/blob-store';
import { s3BlobStore, type S3BlobStoreConfig } from '../../server/blobs/s3-blob-store';
import { startTestServer, type TestServer } from './helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// s3rver is an independent implementation of the S3 HTTP API, so the SDK calls are exercised
// over real HTTP without an AWS account.
let s3: S3rver;
let root: string;
let config: S3BlobStoreConfig;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reclaim-s3-'));
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: join(root, 'bucket'), configureBuckets: [{ name: 'reclaim-photos' }] });
  const { port } = await s3.run();
  config = {
    bucket: 'reclaim-photos',
    endpoint: `http://127.0.0.1:${port}`,
    prefix: 'blobs/',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    spoolDir: join(root, 'spool'),
  };
});
afterAll(async () => {
  await s3?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the S3 blob store', () => {
  it('stores bytes under their hash once, answers head and streams them back', async () => {
    const blobs = s3BlobStore(config);
    const photo = randomBytes(700_000);
    const hash = sha256(photo);
    expect(await blobs.size(hash)).toBeNull();
    expect(await blobs.put(hash, Readable.from([photo]))).toBe('stored');
    expect(await blobs.put(hash, Readable.from([photo]))).toBe('existed');
    expect(await blobs.size(hash)).toBe(photo.length);
    const back = await buffer(await blobs.open(hash));
    expect(sha256(back)).toBe(hash);
    expect(await readdir(join(root, 'spool'))).toEqual([]);
  });

  it('refuses bytes that do not hash to the name and puts nothing in the bucket', async () => {
    const blobs = s3BlobStore(config);
    const claimed = sha256(randomBytes(8));
    await expect(blobs.put(claimed, Readable.from([randomBytes(2_000)]))).rejects.toBeInstanceOf(BlobHashMismatchError);
    expect(await blobs.size(claimed)).toBeNull();
    expect(await readdir(join(root, 'spool'))).toEqual([]);
  });
});

describe('a server configured with a bucket', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ s3: config });
  });
  afterAll(() => server?.close());

  it('keeps uploaded photos in the bucket, not on its own disk, over the same blob API', async () => {
    const { token } = await server.login('agent1');
    const photo = randomBytes(120_000);
    const hash = sha256(photo);
    const put = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token, body: photo, headers: { 'content-type': 'image/jpeg' } });
    expect(put.status).toBe(201);
    expect(put.body).toEqual({ sha256: hash, size: photo.length, created: true });
    const head = await server.api(`/api/v1/blobs/${hash}`, { method: 'HEAD', token });
    expect(head.headers.get('content-length')).toBe(String(photo.length));
    const response = await fetch(`${server.url}/api/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(hash);

    expect(await s3BlobStore(config).size(hash)).toBe(photo.length);
    expect((await readdir(join(server.dataDir, 'blobs'))).filter((name) => name !== 'tmp')).toEqual([]);
  });
});
