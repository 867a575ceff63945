import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyRepository } from '../../server/custody/custody-repository';
import { createDatabase, type Store } from '../../server/store/database';
import { custodyCsv } from '../../server/supervise/custody-csv';
import { CUSTODY_SCHEME } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { CustodyCsvQuery } from '../../shared/supervise/supervise-api';
import { makeDevice } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The custody CSV is streamed: its first bytes go out before the rest of the result is read.
 * Shown without a clock: after the first chunk is taken, an event is added that sorts last, and
 * it is in the rows that follow; a file built whole before sending could not contain it.
 * (On the demo organisation's record, SQLite here, PostgreSQL in integration-postgres; pages of
 * two events so a small record spans many.) And a page goes out in chunks of bounded size, the
 * same text as one string a page would be.
 */
let server: TestServer;
let store: Store;

beforeAll(async () => {
  server = await startTestServer();
  store = server.store === 'sqlite' ? await createDatabase({ kind: 'sqlite', file: join(server.dataDir, 'reclaim.sqlite') }) : await createDatabase({ kind: 'postgres', url: server.databaseUrl ?? '' });
});

afterAll(async () => {
  await store?.close();
  await server?.close();
});

const dataRows = (text: string) => text.split('\r\n').filter((line) => line !== '' && !line.startsWith('event_id,'));

describe('the custody CSV export', () => {
  it('sends its first page before the rest is read, so an event added meanwhile is in the rows that follow', async () => {
    const { db } = store;
    const before = Number((await db.selectFrom('custody_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(before).toBeGreaterThanOrEqual(6);

    const stream = await custodyCsv(db, CustodyCsvQuery.parse({}), 2);
    const chunks = stream[Symbol.asyncIterator]();
    const first = await chunks.next();
    const firstText = String(first.value);
    expect(firstText.startsWith('event_id,at,kind,')).toBe(true);
    const firstEvents = new Set(dataRows(firstText).map((row) => row.split(',')[0]));
    expect(firstEvents.size).toBe(2);

    const job = await db.selectFrom('jobs').select('id').where('id', 'in', db.selectFrom('custody_events').select('job_id')).executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow();
    const device = await makeDevice(user.id, 'agent1-laptop');
    const custody = custodyRepository(db);
    await custody.addDeviceKey(device.key, new Date().toISOString());
    const late = await sealCustodyEvent(webcrypto.subtle, device.privateKey, {
      scheme: CUSTODY_SCHEME, id: newId(), jobId: job.id, kind: 'received', at: '2099-01-01T00:00:00.000Z', place: null,
      from: { role: 'carrier', name: 'Lakeside Couriers', userId: null }, to: { role: 'warehouse', name: 'Dock 4', userId: null },
      items: [{ itemId: newId(), serial: 'STREAMED-LATE-1', previousEventHash: null }], sealNumber: null, photoHashes: [], signatureHashes: [], correctsEventId: null,
      note: '', deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: user.id,
    });
    await custody.append(late, new HybridLogicalClock('csv-test').now(), late.at);

    let rest = '';
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) rest += String(next.value);
    const restRows = dataRows(rest);
    expect(restRows.at(-1)?.startsWith(`${late.id},2099-01-01T00:00:00.000Z,received,`)).toBe(true);
    expect(new Set([...firstEvents, ...restRows.map((row) => row.split(',')[0])]).size).toBe(before + 1);
  });

  it('sends a page in chunks of about the size asked, which together are the same text', async () => {
    const { db } = store;
    const read = async (chunkChars: number) => {
      const chunks: string[] = [];
      for await (const chunk of await custodyCsv(db, CustodyCsvQuery.parse({}), 500, chunkChars)) chunks.push(String(chunk));
      return chunks;
    };
    const [whole] = await read(Number.MAX_SAFE_INTEGER);
    const chunks = await read(2000);
    expect(chunks.join('')).toBe(whole);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    chunks.forEach((chunk, index) => {
      const rows = dataRows(chunk);
      const lastEvent = rows.at(-1)?.split(',')[0];
      // Without its last event's lines (and the header the first one carries), a chunk is under the size asked.
      const before = rows.filter((row) => row.split(',')[0] !== lastEvent);
      expect(before.length).toBeLessThan(rows.length);
      expect(before.join('\r\n').length, `chunk ${index}`).toBeLessThan(2000);
    });
  });
});
