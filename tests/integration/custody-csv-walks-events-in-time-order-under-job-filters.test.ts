import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Store } from '../../server/store/database';
import { pageEventsQuery } from '../../server/supervise/custody-csv';
import { CustodyCsvQuery } from '../../shared/supervise/supervise-api';

/**
 * The CSV reads the events a page at a time in (at, id) order. With a job filter (client,
 * customer, asset tag, agent, status) SQLite used to find the events through their job index and
 * sort every matching event on every page: a filter that picks most jobs cost 330–550 ms a page
 * at 100,000 events, about 100 s for the whole file. The page must walk the time index and check
 * each event's job as it goes, so the pages together read each event once. Read from SQLite's own
 * plan for the export's query, on a database the server's migrations made (no statistics, as a
 * server runs).
 */
let dataDir: string;
let store: Store;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reclaim-csv-plan-'));
  store = await createDatabase({ kind: 'sqlite', file: join(dataDir, 'reclaim.sqlite') });
});

afterAll(async () => {
  await store?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function planOf(filter: Record<string, string>, after: { at: string; id: string } | null): Promise<string[]> {
  const compiled = pageEventsQuery(store.db, CustodyCsvQuery.parse(filter), after, 500).compile();
  const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${compiled.sql}`, [...compiled.parameters]));
  return rows.rows.map((row) => row.detail);
}

const jobFilters: Record<string, string>[] = [
  { client: 'Load Leasing' },
  { status: 'closed' },
  { agentId: '0190a000-0000-7000-8000-000000000001' },
  { customer: 'okafor', from: '2025-01-01T00:00:00Z' },
  { assetTag: 'AT-1', to: '2026-01-01T00:00:00Z' },
];

describe('the custody CSV under a job filter', () => {
  for (const filter of jobFilters) {
    it(`walks the events by time, not by job: ${JSON.stringify(filter)}`, async () => {
      for (const after of [null, { at: '2025-06-01T00:00:00.000Z', id: '0190a000-0000-7000-8000-00000000000a' }]) {
        const plan = await planOf(filter, after);
        const events = plan.filter((detail) => /\bce\b/.test(detail));
        expect(events, plan.join('\n')).toHaveLength(1);
        expect(events[0], plan.join('\n')).toMatch(/USING (COVERING )?INDEX custody_events_at\b/);
        expect(plan.join('\n')).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
    });
  }

  it('looks up a single job through the job index, which is what it narrows', async () => {
    const plan = await planOf({ jobId: '0190a000-0000-7000-8000-000000000002' }, null);
    expect(plan.filter((detail) => /\bce\b/.test(detail)).join('\n'), plan.join('\n')).toMatch(/custody_events_job/);
  });
});
