import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('agent1')).token;
});
afterAll(() => server.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

it('stores bytes under their SHA-256, and a second upload is a no-op', async () => {
  const photo = randomBytes(300_000);
  const hash = sha256(photo);
  expect((await server.api(`/api/v1/blobs/${hash}`, { method: 'HEAD', token })).status).toBe(404);

  const first = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token, body: photo, headers: { 'content-type': 'image/jpeg' } });
  expect(first.status).toBe(201);
  expect(first.body).toEqual({ sha256: hash, size: photo.length, created: true });
  const onDisk = await stat(join(server.dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash));
  expect(onDisk.size).toBe(photo.length);

  const again = await server.api(`/api/v1/blobs/${hash}`, { method: 'PUT', token, body: photo, headers: { 'content-type': 'application/octet-stream' } });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ created: false });

  const head = await server.api(`/api/v1/blobs/${hash}`, { method: 'HEAD', token });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-length')).toBe(String(photo.length));

  const response = await fetch(`${server.url}/api/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(hash);
  expect(await readdir(join(server.dataDir, 'blobs', 'tmp'))).toEqual([]);
});

it('refuses bytes that do not match the name with 422 and keeps nothing', async () => {
  const bytes = randomBytes(1000);
  const claimed = sha256(randomBytes(10));
  const answer = await server.api(`/api/v1/blobs/${claimed}`, { method: 'PUT', token, body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expect(answer.status).toBe(422);
  expect(Problem.parse(answer.body).detail).toContain(sha256(bytes));
  expect((await server.api(`/api/v1/blobs/${claimed}`, { method: 'HEAD', token })).status).toBe(404);
  expect(await readdir(join(server.dataDir, 'blobs', 'tmp'))).toEqual([]);
});

it('refuses a file over 25 MiB with 413', async () => {
  const big = new Uint8Array(25 * 1024 * 1024 + 1);
  const answer = await server.api(`/api/v1/blobs/${sha256(big)}`, { method: 'PUT', token, body: big, headers: { 'content-type': 'application/octet-stream' } });
  expect(answer.status).toBe(413);
  expect(Problem.parse(answer.body).code).toBe('payload_too_large');
});

it('refuses a name that is not a SHA-256 and requests without a token', async () => {
  const bad = await server.api('/api/v1/blobs/not-a-hash', { method: 'PUT', token, body: new Uint8Array([1]), headers: { 'content-type': 'application/octet-stream' } });
  expect(bad.status).toBe(400);
  const hash = sha256(new Uint8Array([1]));
  expect((await server.api(`/api/v1/blobs/${hash}`)).status).toBe(401);
});
