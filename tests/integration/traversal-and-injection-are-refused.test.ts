import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUserList } from '../../shared/api/admin';
import { JobList } from '../../shared/api/jobs';
import { hostileStrings, leaksInternals } from './helpers/hostile-input';
import { startTestServer, type TestServer } from './helpers/server';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-APP';

let server: TestServer;
let root: string;
let dispatcher: string;
let admin: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reclaim-traversal-'));
  const appDir = join(root, 'app');
  await mkdir(join(appDir, 'assets'), { recursive: true });
  await writeFile(join(appDir, 'index.html'), '<!doctype html><title>Reclaim</title>');
  await writeFile(join(root, 'secret.txt'), SECRET);
  server = await startTestServer({ appDir, dataDir: join(root, 'data') });
  dispatcher = (await server.login('dispatcher1')).token;
  admin = (await server.login('admin')).token;
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

/** A GET with the path sent byte for byte: fetch would normalise the dots away. */
function rawGet(path: string, token?: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const traversals = [
  '/../secret.txt',
  '/../../secret.txt',
  '/..%2fsecret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/assets/../../secret.txt',
  '/assets/..%2f..%2fsecret.txt',
  '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
  '/..%5csecret.txt',
  '/assets/..%5c..%5csecret.txt',
  '/%252e%252e/secret.txt',
  '/..;/secret.txt',
  '/secret.txt%00.html',
];

describe('path traversal', () => {
  it('never serves a file outside the web app folder', async () => {
    for (const path of traversals) {
      const answer = await rawGet(path);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.body, path).not.toContain(SECRET);
    }
  });

  it('refuses traversal in blob and region ids without reading the database file', async () => {
    const ids = ['..%2f..%2freclaim.sqlite', '..%2freclaim.sqlite', '%2e%2e%2f%2e%2e%2fsecret.txt', '..%5c..%5creclaim.sqlite', `${'0'.repeat(62)}..`, '..'];
    for (const id of ids) {
      for (const base of ['/api/v1/blobs/', '/api/v1/regions/']) {
        const answer = await rawGet(`${base}${id}`, dispatcher);
        expect(answer.status, `${base}${id}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${base}${id}`).toBeLessThan(500);
        expect(answer.body).not.toContain('SQLite format');
        expect(answer.body).not.toContain(SECRET);
      }
    }
  });
});

describe('SQL injection', () => {
  const injections = hostileStrings.filter((text) => /['";%_*\\]|UNION|SELECT|DROP/i.test(text));

  it('treats every injection string in search, ids and filters as plain data', async () => {
    const all = JobList.parse((await server.api('/api/v1/jobs?limit=1000', { token: dispatcher })).body);
    expect(all.total).toBeGreaterThan(0);
    for (const text of injections) {
      const search = await server.api(`/api/v1/jobs?q=${encodeURIComponent(text)}`, { token: dispatcher });
      expect(search.status, text).toBe(200);
      // No wildcard or OR-clause widens the search: nothing in the demo data contains these.
      expect(JobList.parse(search.body).total, text).toBe(0);

      for (const path of [
        `/api/v1/jobs/${encodeURIComponent(text)}`,
        `/api/v1/jobs?assignedAgentId=${encodeURIComponent(text)}`,
        `/api/v1/jobs?status=${encodeURIComponent(text)}`,
        `/api/v1/users?role=${encodeURIComponent(text)}`,
        `/api/v1/sync/pull?cursor=${encodeURIComponent(text)}&limit=10`,
        `/api/v1/blobs/${encodeURIComponent(text)}`,
      ]) {
        const answer = await server.api(path, { token: dispatcher, protocol: true });
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
        expect(answer.status, path).toBeLessThan(500);
        expect(leaksInternals(JSON.stringify(answer.body)), path).toBe(false);
      }
    }
  });

  it('treats injection strings as user names and passwords, and the users table survives', async () => {
    for (const text of injections) {
      const answer = await server.api('/api/v1/auth/login', { json: { username: text.slice(0, 64), password: text } });
      expect([400, 401, 429], text).toContain(answer.status);
      const revoke = await server.api(`/api/v1/admin/devices/${encodeURIComponent(text.slice(0, 64))}/revoke`, { method: 'POST', token: admin });
      expect([400, 404], text).toContain(revoke.status);
    }
    const users = AdminUserList.parse((await server.api('/api/v1/admin/users', { token: admin })).body).users;
    expect(users.map((user) => user.username)).toContain('agent1');
    expect((await server.api('/api/v1/jobs', { token: dispatcher })).status).toBe(200);
  });
});

describe('security headers', () => {
  it('sends helmet headers and a content security policy on the app and the API', async () => {
    for (const path of ['/', '/api/v1/health', '/api/v1/nothing-here']) {
      const answer = await fetch(`${server.url}${path}`);
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(answer.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(answer.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('content-security-policy'), path).toContain("script-src 'self'");
      expect(answer.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('refuses a JSON body over the limit with 413 problem+json', async () => {
    const answer = await server.api('/api/v1/jobs', { token: dispatcher, json: { padding: 'x'.repeat(1024 * 1024 + 1) } });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
