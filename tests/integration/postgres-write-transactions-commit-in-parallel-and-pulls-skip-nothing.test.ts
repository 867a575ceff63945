import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, writeTransaction } from '../../server/store/change-log';
import { createDatabase, type Store } from '../../server/store/database';
import { createTestDatabase, dropTestDatabase, testStore } from './helpers/test-database';

const onPostgres = testStore === 'postgres';
if (!onPostgres) process.stderr.write('[integration] skipped "write transactions commit in parallel and pulls skip nothing": it runs in the integration-postgres project\n');

/** A promise and the function that settles it, to hold a transaction open at a chosen moment. */
function gate(): { readonly opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const entry = (id: string) => ({ entity: 'job' as const, entityId: id, jobId: id });

/**
 * Two server instances are two connection pools on one database. A write transaction keeps its
 * change-log rows in memory and appends them under the lock only at its end, so a long batch at
 * one instance no longer holds up a batch at the other, and seq order is still commit order.
 */
describe.skipIf(!onPostgres)('write transactions on PostgreSQL (integration-postgres only)', () => {
  let url: string;
  let one: Store;
  let two: Store;
  beforeAll(async () => {
    url = await createTestDatabase();
    one = await createDatabase({ kind: 'postgres', url });
    two = await createDatabase({ kind: 'postgres', url });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    if (url) await dropTestDatabase(url);
  });

  it('lets a batch at one instance commit while a batch that appended earlier at the other is still open', async () => {
    const log = changeLog(one.db);
    const cursor = (await log.readAfter('office', 0, 10_000)).at(-1)?.seq ?? 0;
    const held = gate();
    const appended = gate();
    const slow = writeTransaction(one.db, async (trx) => {
      await changeLog(trx).append('office', [entry('slow')]);
      appended.open();
      await held.opened;
    });
    await appended.opened;

    // Under the old design this waited for `slow` to commit; now it commits at once.
    await writeTransaction(two.db, (trx) => changeLog(trx).append('office', [entry('quick')]));
    const whileOpen = await changeLog(two.db).readAfter('office', cursor, 10_000);
    expect(whileOpen.map((row) => row.entityId)).toEqual(['quick']);

    // A pull that has reached `quick` still gets `slow`: it is numbered when it commits, after.
    held.open();
    await slow;
    const after = await changeLog(one.db).readAfter('office', whileOpen[0]!.seq, 10_000);
    expect(after.map((row) => row.entityId)).toEqual(['slow']);
  });

  it('never lets a reader at either instance pass a row that commits later, whatever the interleaving', async () => {
    const start = (await changeLog(one.db).readAfter('office', 0, 10_000)).at(-1)?.seq ?? 0;
    const writers = 24;
    const written: string[] = [];
    // Readers walk the log with a cursor as pulls do, through both instances, while writers at
    // both instances append a few rows, pause a random while, and commit in an order of chance.
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      let cursor = start;
      for (let turn = 0; writing; turn += 1) {
        const rows = await changeLog((turn % 2 === 0 ? one : two).db).readAfter('office', cursor, 10_000);
        for (const row of rows) seen.push(row.entityId);
        cursor = rows.at(-1)?.seq ?? cursor;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const rest = await changeLog(one.db).readAfter('office', cursor, 10_000);
      for (const row of rest) seen.push(row.entityId);
    })();
    await Promise.all(
      Array.from({ length: writers }, (_, n) =>
        writeTransaction((n % 2 === 0 ? one : two).db, async (trx) => {
          const ids = [`w${n}a`, `w${n}b`, `w${n}c`];
          await changeLog(trx).append('office', [entry(ids[0]!)]);
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
          await changeLog(trx).append('office', [entry(ids[1]!), entry(ids[2]!)]);
          written.push(...ids);
        }),
      ),
    );
    writing = false;
    await reader;
    expect(seen).toHaveLength(written.length);
    expect(new Set(seen)).toEqual(new Set(written));
    // A transaction's rows are consecutive: nobody's rows land between them.
    for (let n = 0; n < writers; n += 1) {
      const at = seen.indexOf(`w${n}a`);
      expect(seen.slice(at, at + 3)).toEqual([`w${n}a`, `w${n}b`, `w${n}c`]);
    }
  });

  it('writes nothing of a transaction that rolls back', async () => {
    const cursor = (await changeLog(one.db).readAfter('office', 0, 10_000)).at(-1)?.seq ?? 0;
    await expect(
      writeTransaction(one.db, async (trx) => {
        await changeLog(trx).append('office', [entry('rolled-back')]);
        throw new Error('the batch failed');
      }),
    ).rejects.toThrow('the batch failed');
    expect(await changeLog(two.db).readAfter('office', cursor, 10_000)).toEqual([]);
  });
});
