import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids';
import { PullResponse } from '../../shared/sync/protocol';
import { createDatabase } from '../../server/store/database';
import { migrationProvider } from '../../server/store/migrations/index';
import { firstOf, openJobWith, signInOnLaptop, type SignedInLaptop } from './helpers/custody-pushers';
import { PREVIOUS_RELEASE, previousReleaseSource, startPreviousRelease } from './helpers/previous-release';
import { startTestServer, type TestServer } from './helpers/server';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

/**
 * A rolling upgrade, as it happens: the previous release's server (PREVIOUS_RELEASE, its own code
 * from git, in its own process) is serving when an instance of this release starts on the same
 * database and migrates it. The old instance keeps working on the new schema: people sign in,
 * laptops push and pull, and each instance serves what the other stored, including a custody
 * event the old one stored without the columns this release added. SQLite here, PostgreSQL in
 * integration-postgres.
 */
let source: Awaited<ReturnType<typeof previousReleaseSource>> | undefined;
let dataDir = '';
let databaseUrl: string | undefined;
let previous: TestServer | undefined;
let current: TestServer | undefined;

beforeAll(async () => {
  source = await previousReleaseSource();
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-rolling-'));
  databaseUrl = testStore === 'postgres' ? await createTestDatabase() : undefined;
  previous = await startPreviousRelease(source.folder, { dataDir, databaseUrl, demo: true });
  current = await startTestServer({ dataDir, databaseUrl });
}, 240_000);

afterAll(async () => {
  await current?.close();
  await previous?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await source?.remove();
});

async function pulledIds(server: TestServer, laptop: SignedInLaptop): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor = '0';
  for (;;) {
    const answer = await server.api(`/api/v1/sync/pull?cursor=${cursor}&limit=1000`, { token: laptop.login.token, protocol: true });
    expect(answer.status).toBe(200);
    const page = PullResponse.parse(answer.body);
    for (const change of page.changes) ids.add(change.entity === 'jobRemoval' ? change.id : change.data.id);
    cursor = page.cursor;
    if (!page.hasMore) return ids;
  }
}

async function custodyCsv(server: TestServer, jobId: string): Promise<string> {
  const supervisor = await server.login('supervisor1');
  const answer = await server.api(`/api/v1/custody/export/csv?jobId=${jobId}`, { token: supervisor.token });
  expect(answer.status).toBe(200);
  return String(answer.body);
}

describe(`the previous release (${PREVIOUS_RELEASE.slice(0, 7)}) beside this one on one database`, () => {
  it('keeps signing in, pushing and pulling after this release migrated, and each serves what the other stored', { timeout: 180_000 }, async () => {
    if (!previous || !current) throw new Error('both servers started');
    const store = await createDatabase(databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
    try {
      const applied = (await store.db.selectFrom('kysely_migration' as never).select('name' as never).execute()) as { name: string }[];
      const newest = Object.keys(await migrationProvider(store.kind).getMigrations()).at(-1);
      expect(applied.map((row) => row.name)).toContain(newest);
    } finally {
      await store.close();
    }

    const oldLaptop = await signInOnLaptop(previous, 'agent1', 'agent1-on-the-previous-release');
    const job = await openJobWith(oldLaptop, 1, new Set());
    const [item] = job.items;
    if (!item) throw new Error('the job has an item');
    const oldNote = { id: newId(), jobId: job.id, text: 'Written through the previous release', at: new Date().toISOString(), byUserId: oldLaptop.userId };
    expect(await oldLaptop.pushOne('jobNote', oldNote)).toMatchObject({ outcome: 'applied' });
    const { event, result } = await oldLaptop.record(job.id, 'collected', [firstOf(item)]);
    expect(result).toMatchObject({ outcome: 'applied' });

    const newLaptop = await signInOnLaptop(current, 'agent1', 'agent1-on-this-release');
    const seenByNew = await pulledIds(current, newLaptop);
    expect(seenByNew.has(oldNote.id)).toBe(true);
    expect(seenByNew.has(event.id)).toBe(true);
    const newNote = { id: newId(), jobId: job.id, text: 'Written through this release', at: new Date().toISOString(), byUserId: newLaptop.userId };
    expect(await newLaptop.pushOne('jobNote', newNote)).toMatchObject({ outcome: 'applied' });

    const seenByOld = await pulledIds(previous, oldLaptop);
    expect(seenByOld.has(oldNote.id)).toBe(true);
    expect(seenByOld.has(newNote.id)).toBe(true);
    expect(seenByOld.has(event.id)).toBe(true);

    // The event the old instance stored has none of the new columns; both exports print it alike.
    const line = (csv: string) => csv.split('\r\n').find((row) => row.startsWith(`${event.id},`));
    const fromCurrent = line(await custodyCsv(current, job.id));
    expect(fromCurrent).toContain(`,${item.id},${item.serial},`);
    expect(fromCurrent).toBe(line(await custodyCsv(previous, job.id)));
  });
});
