import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedImage } from '../../renderer/features/capture/photo-pipeline';
import { firstJob, startProxiedServer, type ProxiedServer } from './fault-proxy/proxied-server';

/**
 * Regression: blobs are stored by SHA-256, so two photos of the same bytes (the same file picked
 * twice, or the same picture on two laptops) share one blob. Neither record may lose its
 * attachment, and the second upload must not overwrite, fail or delete the first.
 */
let env: ProxiedServer;
beforeAll(async () => {
  env = await startProxiedServer();
});
afterAll(() => env.close());

const bytes = randomBytes(30_000);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const image = (): PreparedImage => ({ blob: new Blob([bytes], { type: 'image/jpeg' }), sha256, width: 800, height: 600, thumbnail: null, capturedAt: null });

describe('two photos with the same bytes keep their attachment', () => {
  it('on one laptop, on two laptops, and after a retried upload', async () => {
    const first = await env.laptop('agent1');
    const second = await env.laptop('agent1');
    await first.engine.syncOnce();
    await second.engine.syncOnce();
    const job = await firstJob(first, 'all');

    const a = await first.door.addPhoto({ jobId: job.id, subject: 'job', subjectId: null, image: image(), place: null });
    const b = await first.door.addPhoto({ jobId: job.id, subject: 'job', subjectId: null, image: image(), place: null });
    const c = await second.door.addPhoto({ jobId: job.id, subject: 'job', subjectId: null, image: image(), place: null });
    expect(await first.db.blobs.count()).toBe(1);

    // The first upload's answer is lost after the server stored it; the retry must be a no-op.
    env.proxy.forceNext('drop-response');
    await first.engine.syncOnce().catch(() => undefined);
    expect((await first.db.blobs.get(sha256))?.state).toBe('waiting');
    // Its back-off over (the scheduler would wait it out), the same bytes go again.
    await first.db.blobs.toCollection().modify({ nextAttemptAt: 0 });
    await first.engine.syncOnce();
    await second.engine.syncOnce();
    await first.engine.syncOnce();

    for (const laptop of [first, second]) {
      expect(await laptop.db.outbox.count()).toBe(0);
      expect(await laptop.db.rejectedMutations.count()).toBe(0);
      const photos = await laptop.db.photos.where('jobId').equals(job.id).toArray();
      expect(photos.map((photo) => photo.id).sort()).toEqual([a.id, b.id, c.id].sort());
      expect(photos.every((photo) => photo.sha256 === sha256)).toBe(true);
      // The local copy survives the pull of records that name the same bytes.
      const blob = await laptop.db.blobs.get(sha256);
      expect(blob?.state).toBe('uploaded');
      expect(Buffer.from(await (blob?.blob as Blob).arrayBuffer()).equals(bytes)).toBe(true);
    }

    const stored = await fetch(`${env.server.url}/api/v1/blobs/${sha256}`, { headers: { authorization: `Bearer ${first.login.token}` } });
    expect(stored.status).toBe(200);
    expect(Buffer.from(await stored.arrayBuffer()).equals(bytes)).toBe(true);

    // A dispatcher's pull sees all three records, each naming the one blob.
    const office = await env.laptop('dispatcher1');
    await office.engine.syncOnce();
    const officePhotos = await office.db.photos.where('jobId').equals(job.id).toArray();
    expect(officePhotos.map((photo) => photo.sha256)).toEqual([sha256, sha256, sha256]);
  });
});
