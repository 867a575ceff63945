import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { MAP_UNPLACED_SHOWN, MAP_VIEW_JOB_CAP, type MapCluster, type MapView, type MapViewQuery } from '../../shared/dispatch/dispatch-map-api';
import { JobStatus, jobStatuses } from '../../shared/domain/job-status';
import { storeKindOf } from '../store/dialect';
import { jobFilterCondition } from '../store/job-query';
import type { Database } from '../store/schema';
import { mapPointColumns, toMapJobPoint } from './map-points';

/** A cluster gathers the jobs within about this many screen pixels of one another. */
const CLUSTER_PX = 60;
/** A web map's tile is 256 pixels wide and holds 360 degrees of longitude at zoom 0. */
const TILE_PX = 256;

const statusIndex = new Map(jobStatuses.map((status, index) => [status, index] as const));
const zeroes = () => new Array<number>(jobStatuses.length).fill(0);

/** The side of a grid cell in degrees at a zoom: CLUSTER_PX pixels of longitude. */
export function clusterCellDegrees(zoom: number): number {
  return (CLUSTER_PX * 360) / (TILE_PX * 2 ** zoom);
}

/**
 * The dispatch map's view, answered by the database (issue 15): the jobs in a box that match
 * the office's filter, one by one when they are few enough to draw, else counted into grid cells
 * (anchored to the globe, so a pan does not reshuffle them). The legend's counts and the jobs
 * still without a pin come with it, exact, so the browser never holds the organisation's jobs.
 */
export async function mapView(db: Kysely<Database>, query: MapViewQuery): Promise<MapView> {
  const kind = storeKindOf(db);
  const filter = jobFilterCondition(query, kind);
  const inView = (eb: ExpressionBuilder<Database, 'jobs'>): Expression<SqlBool> =>
    eb.and([eb('jobs.map_lat', '>=', query.south), eb('jobs.map_lat', '<=', query.north), eb('jobs.map_lon', '>=', query.west), eb('jobs.map_lon', '<=', query.east), filter(eb)]);

  // One count from the place index decides the answer's shape; the counts then come with it.
  const counted = await db.selectFrom('jobs').where(inView).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(counted.n);
  const few = total <= MAP_VIEW_JOB_CAP;
  const [jobs, clusters, unplaced, unplacedTotal, extent] = await Promise.all([
    few ? db.selectFrom('jobs').where(inView).select(mapPointColumns).orderBy('jobs.id').limit(MAP_VIEW_JOB_CAP).execute() : Promise.resolve([]),
    few ? Promise.resolve([]) : gridClusters(db, inView, clusterCellDegrees(query.zoom)),
    db
      .selectFrom('jobs')
      .where(filter)
      // map_lat is null whenever either coordinate is (migration 0021).
      .where('jobs.map_lat', 'is', null)
      .select(mapPointColumns)
      .orderBy('jobs.id')
      .limit(MAP_UNPLACED_SHOWN)
      .execute(),
    db
      .selectFrom('jobs')
      .where(filter)
      .where('jobs.map_lat', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    query.extent
      ? db
          .selectFrom('jobs')
          .where(filter)
          .where('jobs.map_lat', 'is not', null)
          .select((eb) => [eb.fn.min('jobs.map_lat').as('south'), eb.fn.max('jobs.map_lat').as('north'), eb.fn.min('jobs.map_lon').as('west'), eb.fn.max('jobs.map_lon').as('east')])
          .executeTakeFirstOrThrow()
      : Promise.resolve(null),
  ]);
  const points = jobs.map(toMapJobPoint);
  const byStatus = zeroes();
  const byAgent = new Map<string, number>();
  const tally = (status: JobStatus, agentId: string | null, n: number) => {
    const index = statusIndex.get(status) ?? 0;
    byStatus[index] = (byStatus[index] ?? 0) + n;
    if (agentId) byAgent.set(agentId, (byAgent.get(agentId) ?? 0) + n);
  };
  for (const point of points) tally(point.status, point.assignedAgentId, 1);
  for (const cell of clusters) for (const group of cell.groups) tally(group.status, group.agentId, group.n);
  return {
    total,
    byStatus,
    byAgent: [...byAgent].map(([agentId, count]) => ({ agentId, count })),
    jobs: points,
    clusters: clusters.map(({ groups: _groups, ...cluster }) => cluster),
    extent: extent && extent.south !== null && extent.north !== null && extent.west !== null && extent.east !== null ? { south: Number(extent.south), north: Number(extent.north), west: Number(extent.west), east: Number(extent.east) } : null,
    unplaced: { total: Number(unplacedTotal.n), jobs: unplaced.map(toMapJobPoint) },
  };
}

type CountedCluster = MapCluster & { readonly groups: { status: JobStatus; agentId: string | null; n: number }[] };

/**
 * Jobs counted into grid cells of a given side, by status and agent (the legend's counts come
 * from the same pass), each cell at its jobs' mean place. Read from the place index alone.
 */
async function gridClusters(db: Kysely<Database>, inView: (eb: ExpressionBuilder<Database, 'jobs'>) => Expression<SqlBool>, cell: number): Promise<CountedCluster[]> {
  // Coordinates shifted to be positive, so truncating (SQLite's cast) is the floor PostgreSQL computes.
  const cellOf = (column: 'jobs.map_lon' | 'jobs.map_lat', shift: number) =>
    storeKindOf(db) === 'postgres' ? sql<number>`floor((${sql.ref(column)} + ${shift}) / ${cell})::bigint` : sql<number>`cast((${sql.ref(column)} + ${shift}) / ${cell} as integer)`;
  const rows = await db
    .selectFrom('jobs')
    .where(inView)
    .select([
      cellOf('jobs.map_lon', 180).as('cx'),
      cellOf('jobs.map_lat', 90).as('cy'),
      'jobs.status',
      'jobs.assigned_agent_id',
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`sum(jobs.map_lat)`.as('lat'),
      sql<number>`sum(jobs.map_lon)`.as('lon'),
    ])
    .groupBy([sql`1`, sql`2`, 'jobs.status', 'jobs.assigned_agent_id'])
    .execute();
  const cells = new Map<string, { count: number; lat: number; lon: number; byStatus: number[]; groups: CountedCluster['groups'] }>();
  for (const row of rows) {
    const key = `${row.cx}:${row.cy}`;
    const found = cells.get(key) ?? { count: 0, lat: 0, lon: 0, byStatus: zeroes(), groups: [] };
    const n = Number(row.n);
    found.count += n;
    found.lat += Number(row.lat);
    found.lon += Number(row.lon);
    const status = JobStatus.parse(row.status);
    const index = statusIndex.get(status) ?? 0;
    found.byStatus[index] = (found.byStatus[index] ?? 0) + n;
    found.groups.push({ status, agentId: row.assigned_agent_id, n });
    cells.set(key, found);
  }
  return [...cells.values()].map((found) => ({ lat: found.lat / found.count, lon: found.lon / found.count, count: found.count, byStatus: found.byStatus, groups: found.groups }));
}
