import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Problem } from '../../shared/api/problem';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;
let appDir: string;
beforeAll(async () => {
  appDir = await mkdtemp(join(tmpdir(), 'reclaim-app-'));
  await mkdir(join(appDir, 'assets'));
  await writeFile(join(appDir, 'index.html'), '<!doctype html><title>Reclaim</title>');
  await writeFile(join(appDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(appDir, 'assets', 'app.js'), 'console.log("app");');
  server = await startTestServer({ demo: false, appDir });
});
afterAll(async () => {
  await server.close();
  await rm(appDir, { recursive: true, force: true });
});

it('serves the app, falls back to index.html for app routes, and never caches the service worker', async () => {
  const index = await fetch(`${server.url}/`);
  expect(index.status).toBe(200);
  expect(await index.text()).toContain('<title>Reclaim</title>');

  const deepLink = await fetch(`${server.url}/jobs/today`);
  expect(deepLink.status).toBe(200);
  expect(await deepLink.text()).toContain('<title>Reclaim</title>');

  const worker = await fetch(`${server.url}/sw.js`);
  expect(worker.status).toBe(200);
  expect(worker.headers.get('cache-control')).toBe('no-cache');

  expect((await fetch(`${server.url}/assets/app.js`)).status).toBe(200);
});

it('still answers unknown API paths with a problem, not the page', async () => {
  const answer = await server.api('/api/v1/nothing-here');
  expect(answer.status).toBe(404);
  expect(Problem.parse(answer.body).code).toBe('not_found');
});
