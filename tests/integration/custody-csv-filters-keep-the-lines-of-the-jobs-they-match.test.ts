import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custodyRepository } from '../../server/custody/custody-repository';
import { createDatabase, type Store } from '../../server/store/database';
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
 * The export's job filters (client, customer, asset tag, agent, status) pick jobs, and the file
 * then holds exactly the lines of the whole file whose job they picked, in the same order and byte
 * for byte; the date range and the job id narrow the same lines by their own cells. The expected
 * lines are chosen here in plain code from the jobs' rows, not by the export's SQL. On the demo's
 * closed history plus events on an open job, SQLite here, PostgreSQL in integration-postgres,
 * pages of three events so every filtered file spans pages.
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

async function csvText(db: Kysely<Database>, filter: Record<string, string>): Promise<string> {
  let text = '';
  for await (const chunk of await custodyCsv(db, CustodyCsvQuery.parse(filter), 3)) text += String(chunk);
  return text;
}

interface JobFacts {
  readonly id: string;
  readonly status: string;
  readonly searchText: string;
  readonly clientName: string;
  readonly agents: ReadonlySet<string>;
}

async function jobFacts(db: Kysely<Database>): Promise<JobFacts[]> {
  const jobs = await db.selectFrom('jobs as j').innerJoin('clients as c', 'c.id', 'j.client_id').select(['j.id', 'j.status', 'j.search_text', 'j.assigned_agent_id', 'c.name']).execute();
  const assignments = await db.selectFrom('job_assignments').select(['job_id', 'agent_id']).execute();
  return jobs.map((job) => ({
    id: job.id,
    status: job.status,
    searchText: job.search_text,
    clientName: job.name,
    agents: new Set([job.assigned_agent_id, ...assignments.filter((row) => row.job_id === job.id).map((row) => row.agent_id)].filter((id): id is string => id !== null)),
  }));
}

describe('the custody CSV with filters', () => {
  it('holds the lines of the whole file whose job and cells the filters match, and no other', async () => {
    const { db } = store;
    const agent = await db.selectFrom('users').select('id').where('username', '=', 'agent1').executeTakeFirstOrThrow();
    const openJob = await db.selectFrom('jobs').select(['id', 'status']).where('status', '!=', 'closed').where('assigned_agent_id', '=', agent.id).executeTakeFirstOrThrow();
    const device = await makeDevice(agent.id, 'agent1-csv-filters');
    const custody = custodyRepository(db);
    await custody.addDeviceKey(device.key, new Date().toISOString());
    const clock = new HybridLogicalClock('csv-filters');
    for (const [n, at] of ['2030-05-01T10:00:00.000Z', '2030-05-02T10:00:00.000Z'].entries()) {
      const event = await sealCustodyEvent(webcrypto.subtle, device.privateKey, {
        scheme: CUSTODY_SCHEME, id: newId(), jobId: openJob.id, kind: 'collected', at, place: null,
        from: { role: 'customer', name: '=Open, "Job" Customer', userId: null }, to: { role: 'agent', name: 'Agent One', userId: agent.id },
        items: [0, 1].map((item) => ({ itemId: newId(), serial: `OPEN-${n}-${item}`, previousEventHash: null })), sealNumber: null, photoHashes: [], signatureHashes: [],
        correctsEventId: null, note: '', deviceId: device.key.deviceId, deviceKeyId: device.key.id, recordedByUserId: agent.id,
      });
      await custody.append(event, clock.now(), event.at);
    }

    const whole = await csvText(db, {});
    const [header, ...lines] = whole.split('\r\n').filter((line) => line !== '');
    const cell = (line: string, index: number) => line.split(',')[index] ?? '';
    const jobs = await jobFacts(db);
    const jobsWithEvents = jobs.filter((job) => lines.some((line) => cell(line, 3) === job.id));
    const history = jobsWithEvents.find((job) => job.status === 'closed');
    if (!history) throw new Error('the demo has closed jobs with custody events');
    const secondAgent = [...history.agents][0] ?? '';
    // Parts of words, in another case than stored, as a supervisor types them.
    const clientPart = history.clientName.slice(2, 9).toUpperCase();
    const customerPart = history.searchText.split(' ').find((word) => word.length > 4)?.slice(1, 5).toUpperCase() ?? '';
    const serialPart = cell(lines.find((line) => cell(line, 3) === history.id) ?? '', 8).slice(-5);

    const cases: { filter: Record<string, string>; keeps: (line: string, job: JobFacts) => boolean }[] = [
      { filter: { client: clientPart }, keeps: (_, job) => job.clientName.toLowerCase().includes(clientPart.toLowerCase()) },
      { filter: { customer: customerPart }, keeps: (_, job) => job.searchText.includes(customerPart.toLowerCase()) },
      { filter: { assetTag: serialPart }, keeps: (_, job) => job.searchText.includes(serialPart.toLowerCase()) },
      { filter: { status: 'closed' }, keeps: (_, job) => job.status === 'closed' },
      { filter: { status: openJob.status }, keeps: (_, job) => job.status === openJob.status },
      { filter: { agentId: agent.id }, keeps: (_, job) => job.agents.has(agent.id) },
      { filter: { agentId: secondAgent, status: 'closed' }, keeps: (_, job) => job.agents.has(secondAgent) && job.status === 'closed' },
      { filter: { jobId: history.id }, keeps: (_, job) => job.id === history.id },
      { filter: { client: clientPart, from: '2030-01-01T00:00:00Z' }, keeps: (line, job) => job.clientName.toLowerCase().includes(clientPart.toLowerCase()) && cell(line, 1) >= '2030' },
      { filter: { agentId: agent.id, from: '2030-05-02T00:00:00Z' }, keeps: (line, job) => job.agents.has(agent.id) && cell(line, 1) >= '2030-05-02' },
    ];
    for (const { filter, keeps } of cases) {
      const expected = lines.filter((line) => {
        const job = jobs.find((candidate) => candidate.id === cell(line, 3));
        return job !== undefined && keeps(line, job);
      });
      if (Object.keys(filter).length === 1) expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(filter)).toBeLessThan(lines.length);
      expect(await csvText(db, filter), JSON.stringify(filter)).toBe([header, ...expected, ''].join('\r\n'));
    }
    expect(lines.filter((line) => cell(line, 3) === openJob.id)).toHaveLength(4);
  });
});
