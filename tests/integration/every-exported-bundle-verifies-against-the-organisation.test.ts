import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundleZipBytes } from '../../scripts/bundle-zip-reader';
import { OrgKeyRotationResult } from '../../shared/api/trust';
import { OrgSigningKeyInfo } from '../../shared/trust/org-key';
import { verifyCustodyBundle } from '../../shared/trust/verify-bundle';
import { CustodySearchResult } from '../../shared/supervise/supervise-api';
import { subtle } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * Genuine bundles from a real server (SQLite here, PostgreSQL in integration-postgres): every
 * job of the demo organisation with custody history, whose events entered the log in the
 * migration and whose keys were certified at start-up, exports a bundle that verifies intact
 * against the fingerprint GET /api/v1/org/signing-key publishes, by job and by item; after a
 * rotation, a bundle verifies against the old fingerprint and the new one.
 */
let server: TestServer;
let supervisor: string;

beforeAll(async () => {
  server = await startTestServer();
  supervisor = (await server.login('supervisor1')).token;
});
afterAll(() => server.close());

async function bundleOf(query: string): Promise<Uint8Array> {
  const response = await fetch(`${server.url}/api/v1/custody/export/bundle?${query}`, { headers: { authorization: `Bearer ${supervisor}` } });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

async function fingerprint(): Promise<string> {
  return OrgSigningKeyInfo.parse((await server.api('/api/v1/org/signing-key')).body).fingerprint;
}

describe('bundles exported by a real server', () => {
  it('verify intact for every demo job with custody history, by job and by item', { timeout: 120_000 }, async () => {
    const pinned = await fingerprint();
    const found = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=200', { token: supervisor })).body);
    const jobs = [...new Set(found.hits.map((hit) => hit.jobId))];
    expect(jobs.length).toBeGreaterThan(0);
    for (const jobId of jobs) {
      const verdict = await verifyCustodyBundle(subtle, await readBundleZipBytes(await bundleOf(`jobId=${jobId}`)), { fingerprint: pinned });
      expect(verdict.status, `job ${jobId}: ${verdict.problem?.reason}`).toBe('intact');
      expect(verdict.summary.events).toBeGreaterThan(0);
    }
    const hit = found.hits[0];
    if (!hit) throw new Error('a custody hit');
    const byItem = await verifyCustodyBundle(subtle, await readBundleZipBytes(await bundleOf(`itemId=${hit.itemId}`)), { fingerprint: pinned });
    expect(byItem.status, byItem.problem?.reason).toBe('intact');
  });

  it('verify against the old and the new fingerprint after the key is rotated', { timeout: 60_000 }, async () => {
    const before = await fingerprint();
    const admin = (await server.login('admin')).token;
    const rotated = OrgKeyRotationResult.parse((await server.api('/api/v1/org/signing-key/rotate', { method: 'POST', token: admin })).body);
    expect(rotated.previous.fingerprint).toBe(before);
    const found = CustodySearchResult.parse((await server.api('/api/v1/custody/search?limit=1', { token: supervisor })).body);
    const jobId = found.hits[0]?.jobId ?? '';
    const archive = await readBundleZipBytes(await bundleOf(`jobId=${jobId}`));
    for (const pinned of [before, rotated.current.fingerprint]) {
      const verdict = await verifyCustodyBundle(subtle, archive, { fingerprint: pinned });
      expect(verdict.status, verdict.problem?.reason).toBe('intact');
    }
  });
});
