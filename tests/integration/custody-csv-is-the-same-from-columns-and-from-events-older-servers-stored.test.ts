import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyRepository } from '../../server/custody/custody-repository';
import { createDatabase, type Store } from '../../server/store/database';
import { fillCustodyEventColumns } from '../../server/store/migrations/0020_custody_event_columns';
import type { Database } from '../../server/store/schema';
import { custodyCsv } from '../../server/supervise/custody-csv';
import { CUSTODY_SCHEME } from '../../shared/custody/custody-event';
import { sealCustodyEvent } from '../../shared/custody/custody-hash';
import { newId } from '../../shared/ids';
import { HybridLogicalClock } from '../../shared/sync/hlc';
import { CustodyCsvQuery } from '../../shared/supervise/supervise-api';
import { makeDevice } from '../fixtures/custody-chain';
import { startTestServer, type TestServer } from './helpers/server';

/**
 * The custody CSV reads the columns migration 0020 added beside each signed event. An event an
 * older server stored during a rolling upgrade has none of them; the export reads its JSON
 * instead, and the migration's backfill fills them from the same JSON. All three ways give the
 * same file, byte for byte, including cells a spreadsheet would run, quotes, a place, seals,
 * photo hashes and several items in the order the event lists them.
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

async function csvText(db: Kysely<Database>, filter: Record<string, string> = {}): Promise<string> {
  let text = '';
  for await (const chunk of await custodyCsv(db, CustodyCsvQuery.parse(filter), 3)) text += String(chunk);
  return text;
}

/** What an instance older than migration 0020 leaves in the new columns: nothing. */
async function forgetColumns(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('custody_events')
    .set({ from_role: null, from_name: null, to_role: null, to_name: null, lat: null, lon: null, seal_number: null, corrects_event_id: null, note: null, device_id: null, recorded_by_user_id: null, photo_hashes: null, signature_hashes: null })
    .execute();
  await db.updateTable('custody_event_items').set({ position: null }).execute();
}

describe('the custody CSV from columns', () => {
  it('is the same file as from the signed JSON and after the backfill', async () => {
    const { db } = store;
    const job = await db.selectFrom('jobs').select('id').where('id', 'in', db.selectFrom('custody_events').select('job_id')).executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow();
    const device = await makeDevice(user.id, 'agent1-csv-columns');
    const custody = custodyRepository(db);
    await custody.addDeviceKey(device.key, new Date().toISOString());
    // Items listed out of id order, so only their stored position keeps the event's order.
    const items = ['ffffffff', '00000000', '88888888'].map((prefix, n) => ({ itemId: `${prefix}-0000-7000-8000-00000000000${n}`, serial: `=CMD|' /C calc'!A${n}`, previousEventHash: null }));
    const event = await sealCustodyEvent(webcrypto.subtle, device.privateKey, {
      scheme: CUSTODY_SCHEME, id: newId(), jobId: job.id, kind: 'sealed', at: '2031-03-09T08:30:00.000Z', place: { lat: -33.8688, lon: 1e-7, accuracyM: 5 },
      from: { role: 'agent', name: 'Ray "Two Vans" Ortiz', userId: user.id }, to: { role: 'warehouse', name: '+Dock, 4\nBay 2', userId: null },
      items, sealNumber: 'SEAL-0042', photoHashes: ['a'.repeat(64), 'b'.repeat(64)], signatureHashes: ['c'.repeat(64)], correctsEventId: null,
      note: '@note with, a comma', deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: user.id,
    });
    await custody.append(event, new HybridLogicalClock('csv-columns').now(), event.at);

    const fromColumns = await csvText(db);
    const lines = fromColumns.split('\r\n').filter((line) => line.startsWith(event.id));
    expect(lines).toHaveLength(3);
    expect(lines.map((line) => line.split(',')[7])).toEqual(items.map((item) => item.itemId));
    expect(lines[0]).toContain(`,'=CMD|' /C calc'!A0,`);
    expect(lines[0]).toContain(',"Ray ""Two Vans"" Ortiz",warehouse,"\'+Dock, 4\nBay 2",\'-33.8688,1e-7,SEAL-0042,');
    expect(lines[0]).toContain(`,${'a'.repeat(64)} ${'b'.repeat(64)},${'c'.repeat(64)},,"'@note with, a comma",`);
    const bySerial = await csvText(db, { serial: "calc'!a2" });
    expect(bySerial.split('\r\n').filter((line) => line.startsWith(event.id))).toEqual([lines[2]]);

    await forgetColumns(db);
    expect(await csvText(db)).toBe(fromColumns);
    expect(await csvText(db, { serial: "calc'!a2" })).toBe(bySerial);

    await fillCustodyEventColumns(db as Kysely<unknown>, server.store);
    expect((await db.selectFrom('custody_events').select('id').where('recorded_by_user_id', 'is', null).execute()).length).toBe(0);
    expect(await csvText(db)).toBe(fromColumns);
  });
});
