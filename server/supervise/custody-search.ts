import { sql, type Kysely } from 'kysely';
import { CustodyEvent, type DeviceKey } from '../../shared/custody/custody-event';
import type { CustodySubtleCrypto } from '../../shared/custody/crypto-port';
import { verifyChain } from '../../shared/custody/verify-chain';
import type { Job } from '../../shared/domain/job';
import type { CustodyCsvQuery, CustodySearchHit, CustodySearchQuery, RecordVerdict } from '../../shared/supervise/supervise-api';
import { custodyRepository } from '../custody/custody-repository';
import { jobsRepository } from '../store/jobs-repository';
import type { Database } from '../store/schema';

function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The custody events matching a supervisor's filters, one row per event: the one filter both the
 * search and the exports use. Serial and date range use the custody indexes. The job's filters
 * (customer and asset tag in its lower-cased search text, client, agent, status) pick a set of
 * jobs the events' job must be in, rather than joining every event to its job and client: an
 * export of every event then reads the events alone. A serial matches an event when any of its
 * items carries it; `matchingEventItems` narrows to those items.
 *
 * `inTimeOrder` is for readers that walk the events by (at, id) a page at a time (the CSV): the
 * job set is then checked on each event as the time index yields it, never looked up through the
 * events' job index. Through the job index, a filter that picks most jobs made every page read and
 * sort every matching event again (SQLite, no statistics: 330–550 ms a page at 100,000 events);
 * in time order the pages together read each event once, however many jobs the filter picks.
 */
export function matchingEvents(db: Kysely<Database>, filter: CustodyCsvQuery, { inTimeOrder = false }: { inTimeOrder?: boolean } = {}) {
  let query = db.selectFrom('custody_events as ce');
  if (filter.serial) {
    const pattern = containsPattern(filter.serial);
    query = query.where('ce.id', 'in', (eb) => eb.selectFrom('custody_event_items').select('event_id').where(sql<boolean>`lower(serial) like ${pattern} escape '\\'`));
  }
  const jobs = matchingJobs(db, filter);
  // `job_id || ''` is the same id, but an expression no index serves (SQLite and PostgreSQL).
  if (jobs) query = inTimeOrder ? query.where(sql<string>`ce.job_id || ''`, 'in', jobs) : query.where('ce.job_id', 'in', jobs);
  if (filter.jobId) query = query.where('ce.job_id', '=', filter.jobId);
  if (filter.from) query = query.where('ce.at', '>=', filter.from);
  if (filter.to) query = query.where('ce.at', '<=', filter.to);
  return query;
}

/** The ids of the jobs the job filters allow, or null when none is set (every job). */
function matchingJobs(db: Kysely<Database>, filter: CustodyCsvQuery) {
  const { assetTag, customer, client, agentId, status } = filter;
  if (!assetTag && !customer && !client && !agentId && !status) return null;
  let jobs = db.selectFrom('jobs as j').select('j.id');
  if (assetTag) jobs = jobs.where(sql<boolean>`j.search_text like ${containsPattern(assetTag)} escape '\\'`);
  if (customer) jobs = jobs.where(sql<boolean>`j.search_text like ${containsPattern(customer)} escape '\\'`);
  if (client) jobs = jobs.where('j.client_id', 'in', (eb) => eb.selectFrom('clients as c').select('c.id').where(sql<boolean>`lower(c.name) like ${containsPattern(client)} escape '\\'`));
  // The job's agent now, or any agent it was ever assigned to (closed jobs may be unassigned).
  if (agentId) jobs = jobs.where((eb) => eb.or([eb('j.assigned_agent_id', '=', agentId), eb('j.id', 'in', eb.selectFrom('job_assignments').select('job_id').where('agent_id', '=', agentId))]));
  if (status) jobs = jobs.where('j.status', '=', status);
  return jobs;
}

/**
 * The same events, one row per event and item. An event that moved several items matches a
 * serial search through one of them; only the items that carry the serial are kept.
 */
function matchingEventItems(db: Kysely<Database>, filter: CustodyCsvQuery) {
  const query = matchingEvents(db, filter).innerJoin('custody_event_items as cei', 'cei.event_id', 'ce.id');
  return filter.serial ? query.where(sql<boolean>`lower(cei.serial) like ${containsPattern(filter.serial)} escape '\\'`) : query;
}

/**
 * What people call the devices that recorded events: the name an admin gave it, else whose
 * laptop it is. A device the server does not know (the office signing key's) is left out.
 */
export async function deviceNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('devices as d')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.id', 'd.name', 'u.display_name'])
    .where('d.id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, row.name ?? (row.display_name ? `${row.display_name}'s laptop` : 'an unnamed laptop')]));
}

export async function userNames(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'display_name']).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

function hitOf(row: { item_id: string; serial: string; job_id: string; events: number | string | bigint; first_at: string; last_at: string }, job: Job, names: ReadonlyMap<string, string>, lastKind: string, lastAgent: string | null): CustodySearchHit {
  const item = job.items.find((candidate) => candidate.id === row.item_id);
  const agentId = job.assignedAgentId ?? lastAgent;
  return {
    itemId: row.item_id,
    serial: row.serial,
    assetTag: item?.assetTag ?? null,
    description: item ? `${item.make} ${item.model}`.trim() : 'unexpected item',
    itemType: item?.type ?? null,
    jobId: job.id,
    accountRef: job.accountRef,
    clientName: job.clientName,
    customerName: job.customer.name,
    jobStatus: job.status,
    agentId,
    agentName: agentId ? (names.get(agentId) ?? null) : null,
    events: Number(row.events),
    firstEventAt: row.first_at,
    lastEventAt: row.last_at,
    lastEventKind: lastKind,
  };
}

export function custodySearch(db: Kysely<Database>, subtle: CustodySubtleCrypto) {
  const jobs = jobsRepository(db);
  const custody = custodyRepository(db);

  async function hits(rows: readonly { item_id: string; serial: string; job_id: string; events: number | string | bigint; first_at: string; last_at: string }[]): Promise<CustodySearchHit[]> {
    const jobById = await jobs.findMany([...new Set(rows.map((row) => row.job_id))]);
    const names = await userNames(db);
    const kinds = rows.length === 0 ? [] : await db
      .selectFrom('custody_event_items as cei')
      .innerJoin('custody_item_heads as h', 'h.item_id', 'cei.item_id')
      .innerJoin('custody_events as ce', (join) => join.onRef('ce.hash', '=', 'h.event_hash').onRef('ce.id', '=', 'cei.event_id'))
      .select(['cei.item_id', 'ce.kind'])
      .where('cei.item_id', 'in', rows.map((row) => row.item_id))
      .execute();
    const kindOf = new Map(kinds.map((row) => [row.item_id, row.kind]));
    const assignments = jobById.size === 0 ? [] : await db.selectFrom('job_assignments').select(['job_id', 'agent_id']).where('job_id', 'in', [...jobById.keys()]).where('agent_id', 'is not', null).orderBy('at').execute();
    const lastAgentOf = new Map(assignments.map((row) => [row.job_id, row.agent_id]));
    return rows.flatMap((row) => {
      const job = jobById.get(row.job_id);
      return job ? [hitOf(row, job, names, kindOf.get(row.item_id) ?? 'unknown', lastAgentOf.get(row.job_id) ?? null)] : [];
    });
  }

  return {
    async search(query: CustodySearchQuery): Promise<{ hits: CustodySearchHit[]; total: number }> {
      const grouped = matchingEventItems(db, query)
        .select((eb) => ['cei.item_id', 'cei.serial', 'ce.job_id', eb.fn.countAll().as('events'), eb.fn.min('ce.at').as('first_at'), eb.fn.max('ce.at').as('last_at')])
        .groupBy(['cei.item_id', 'cei.serial', 'ce.job_id']);
      const totalRow = await db.selectFrom(grouped.as('g')).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      const rows = await grouped.orderBy('last_at', 'desc').orderBy('cei.item_id').limit(query.limit).offset(query.offset).execute();
      return { hits: await hits(rows), total: Number(totalRow?.n ?? 0) };
    },

    async item(itemId: string): Promise<CustodySearchHit | null> {
      const rows = await db
        .selectFrom('custody_event_items as cei')
        .innerJoin('custody_events as ce', 'ce.id', 'cei.event_id')
        .select((eb) => ['cei.item_id', 'cei.serial', 'ce.job_id', eb.fn.countAll().as('events'), eb.fn.min('ce.at').as('first_at'), eb.fn.max('ce.at').as('last_at')])
        .where('cei.item_id', '=', itemId)
        .groupBy(['cei.item_id', 'cei.serial', 'ce.job_id'])
        .execute();
      return (await hits(rows))[0] ?? null;
    },

    async itemIdsOfJob(jobId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('custody_event_items as cei')
        .innerJoin('custody_events as ce', 'ce.id', 'cei.event_id')
        .select('cei.item_id')
        .distinct()
        .where('ce.job_id', '=', jobId)
        .execute();
      return rows.map((row) => row.item_id);
    },

    /** A job's whole record in chain order with its keys and the server's verdict in words. */
    async jobRecord(jobId: string): Promise<{ events: CustodyEvent[]; deviceKeys: DeviceKey[]; verdict: RecordVerdict }> {
      const events = await custody.eventsOfJob(jobId);
      const deviceKeys = await custody.deviceKeys([...new Set(events.map((event) => event.deviceKeyId))]);
      return { events, deviceKeys, verdict: await verdictOf(subtle, events, deviceKeys) };
    },
  };
}

export async function verdictOf(subtle: CustodySubtleCrypto, events: readonly CustodyEvent[], deviceKeys: readonly DeviceKey[]): Promise<RecordVerdict> {
  const keyById = new Map(deviceKeys.map((key) => [key.id, key.publicKey]));
  const verdict = await verifyChain(subtle, events, (id) => keyById.get(id) ?? null);
  if (verdict.intact) return { intact: true, events: verdict.events, finalHash: events.at(-1)?.hash ?? null };
  return { intact: false, eventNumber: verdict.index + 1, eventId: verdict.eventId, problem: verdict.problem, reason: verdict.reason };
}

export function parseEvent(dataJson: string): CustodyEvent {
  return CustodyEvent.parse(JSON.parse(dataJson));
}
