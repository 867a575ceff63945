import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AgentPosition, MapAgent, MapJobPoint, MapPoints } from '../../shared/dispatch/dispatch-map-api';
import { Address, Customer } from '../../shared/domain/job';
import { JobStatus } from '../../shared/domain/job-status';
import { Place } from '../../shared/domain/visit';
import type { Database } from '../store/schema';

/**
 * Visits are scanned newest first for each agent's last GPS fix; an agent whose last fix is
 * older than this many visits falls back to the status-change position, which is still true.
 */
const RECENT_VISITS_SCANNED = 5000;

const VisitPosition = z.object({ byUserId: z.string(), arrivedAt: z.string(), place: Place.nullable() });
const AddressPoint = Address.pick({ line1: true, city: true, lat: true, lon: true });
const CustomerName = Customer.pick({ name: true });

/** The columns a map point is made of. */
export const mapPointColumns = ['jobs.id', 'jobs.status', 'jobs.address_json', 'jobs.customer_json', 'jobs.assigned_agent_id', 'jobs.due_date'] as const;

export function toMapJobPoint(row: { id: string; status: string; address_json: string; customer_json: string; assigned_agent_id: string | null; due_date: string | null }): MapJobPoint {
  const address = AddressPoint.parse(JSON.parse(row.address_json));
  return {
    id: row.id,
    status: JobStatus.parse(row.status),
    lat: address.lat,
    lon: address.lon,
    customerName: CustomerName.parse(JSON.parse(row.customer_json)).name,
    addressLine: [address.line1, address.city].filter(Boolean).join(', '),
    assignedAgentId: row.assigned_agent_id,
    dueDate: row.due_date,
  };
}

async function jobPoints(db: Kysely<Database>): Promise<MapJobPoint[]> {
  const rows = await db.selectFrom('jobs').select(mapPointColumns).orderBy('id').execute();
  return rows.map(toMapJobPoint);
}

async function lastVisitFixes(db: Kysely<Database>, agentIds: ReadonlySet<string>): Promise<Map<string, AgentPosition>> {
  const rows = await db.selectFrom('visits').select('data_json').orderBy('hlc', 'desc').limit(RECENT_VISITS_SCANNED).execute();
  const found = new Map<string, AgentPosition>();
  for (const row of rows) {
    const visit = VisitPosition.safeParse(JSON.parse(row.data_json));
    if (!visit.success || !visit.data.place || !agentIds.has(visit.data.byUserId)) continue;
    const known = found.get(visit.data.byUserId);
    if (known && known.at >= visit.data.arrivedAt) continue;
    found.set(visit.data.byUserId, { lat: visit.data.place.lat, lon: visit.data.place.lon, at: visit.data.arrivedAt, source: 'visit' });
  }
  return found;
}

/** The address of the located job whose status the agent changed last (en route, on site…). */
async function lastStatusChangePlace(db: Kysely<Database>, agentId: string): Promise<AgentPosition | null> {
  const rows = await db
    .selectFrom('job_status_changes')
    .innerJoin('jobs', 'jobs.id', 'job_status_changes.job_id')
    .select(['job_status_changes.at', 'jobs.address_json'])
    .where('job_status_changes.by_user_id', '=', agentId)
    .orderBy('job_status_changes.at', 'desc')
    .limit(20)
    .execute();
  for (const row of rows) {
    const address = AddressPoint.parse(JSON.parse(row.address_json));
    if (address.lat !== null && address.lon !== null) return { lat: address.lat, lon: address.lon, at: row.at, source: 'status_change' };
  }
  return null;
}

export async function mapAgents(db: Kysely<Database>): Promise<MapAgent[]> {
  const agents = await db
    .selectFrom('users')
    .leftJoin('user_last_sync', 'user_last_sync.user_id', 'users.id')
    .select(['users.id', 'users.display_name', 'users.username', 'user_last_sync.last_sync_at'])
    .where('users.role', '=', 'agent')
    .where('users.disabled', '=', 0)
    .orderBy('users.display_name')
    .execute();
  const fixes = await lastVisitFixes(db, new Set(agents.map((agent) => agent.id)));
  return Promise.all(
    agents.map(async (agent) => {
      const fix = fixes.get(agent.id) ?? null;
      const change = await lastStatusChangePlace(db, agent.id);
      const lastPosition = fix && (!change || fix.at >= change.at) ? fix : change;
      return { id: agent.id, displayName: agent.display_name, username: agent.username, lastSyncAt: agent.last_sync_at, lastPosition };
    }),
  );
}

/** Everything the dispatch map draws: every job's point and every active agent's presence. */
export async function mapPoints(db: Kysely<Database>): Promise<MapPoints> {
  const [jobs, agents] = await Promise.all([jobPoints(db), mapAgents(db)]);
  return { jobs, agents };
}
