import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../server/store/change-log';
import { createDatabase, type Store } from '../../server/store/database';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

const onPostgres = testStore === 'postgres';
if (!onPostgres) process.stderr.write('[integration] skipped "the change log never skips a late commit": it runs in the integration-postgres project\n');

/**
 * PostgreSQL numbers a row when it is inserted, not when it commits. Without the append lock a
 * transaction holding seq n could commit after seq n+1 was read, and a pull whose cursor had
 * passed n+1 would never see n. This drives exactly that interleaving by hand.
 */
describe.skipIf(!onPostgres)('the change log on PostgreSQL (integration-postgres only)', () => {
  let url: string;
  let store: Store;
  beforeAll(async () => {
    url = await createTestDatabase();
    store = await createDatabase({ kind: 'postgres', url });
  });
  afterAll(async () => {
    await store?.close();
    if (url) await dropTestDatabase(url);
  });

  it('never lets a reader pass a sequence number whose transaction has not committed', async () => {
    const { db } = store;
    const log = changeLog(db);
    const cursor = (await log.readAfter('office', 0, 1_000)).at(-1)?.seq ?? 0;

    const early = await db.startTransaction().execute();
    await changeLog(early).append('office', [{ entity: 'job', entityId: 'early', jobId: 'early' }]);

    // A second writer starts after the first took its number and would commit first.
    let lateCommitted = false;
    const late = (async () => {
      const trx = await db.startTransaction().execute();
      await changeLog(trx).append('office', [{ entity: 'job', entityId: 'late', jobId: 'late' }]);
      await trx.commit().execute();
      lateCommitted = true;
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));

    // While the first is open, a reader sees neither row: the second waits behind the first.
    expect(lateCommitted).toBe(false);
    expect(await log.readAfter('office', cursor, 1_000)).toEqual([]);

    await early.commit().execute();
    await late;
    const rows = await log.readAfter('office', cursor, 1_000);
    expect(rows.map((row) => row.entityId)).toEqual(['early', 'late']);
    expect(rows[0]!.seq).toBeLessThan(rows[1]!.seq);
  });
});
