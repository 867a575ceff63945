import Supercluster from 'supercluster';
import type { MapCluster, MapJobPoint } from '../../../../shared/dispatch/dispatch-map-api';
import { jobStatuses, type JobStatus } from '../../../../shared/domain/job-status';

/** A job the map can draw: the geocoder or a dispatcher has given it coordinates. */
export type LocatedJob = MapJobPoint & { lat: number; lon: number };

export function isLocated(job: MapJobPoint): job is LocatedJob {
  return job.lat !== null && job.lon !== null;
}

/** Jobs per status, in `jobStatuses` order: an array adds up faster than an object when 10,000 points merge. */
export type StatusCounts = readonly number[];

interface PointProps {
  readonly index: number;
  readonly status: JobStatus;
}
interface ClusterProps {
  counts: number[];
}

/** West, south, east, north in degrees, as supercluster and GeoJSON order them. */
export type ViewBox = readonly [west: number, south: number, east: number, north: number];

export type MapMarker =
  | { readonly kind: 'job'; readonly job: LocatedJob }
  | {
      readonly kind: 'cluster';
      readonly clusterId: number;
      readonly lat: number;
      readonly lon: number;
      readonly count: number;
      readonly counts: StatusCounts;
    };

export interface JobClusterIndex {
  /** The clusters and single jobs in view at a zoom: only these are drawn. */
  markers(view: ViewBox, zoom: number): MapMarker[];
  /** The zoom at which a cluster splits into smaller ones: where a click on it goes. */
  expansionZoom(clusterId: number): number;
  /** The ids of every job a cluster holds, to show how many of them are selected. */
  jobIds(clusterId: number): string[];
}

const statusIndex = new Map(jobStatuses.map((status, index) => [status, index] as const));

/**
 * Indexes the located jobs once (per data change); each pan or zoom is then a query that
 * touches only what is on screen, which keeps 10,000 jobs smooth.
 */
export function buildJobClusterIndex(jobs: readonly LocatedJob[], options: { radius?: number; maxZoom?: number } = {}): JobClusterIndex {
  const index = new Supercluster<PointProps, ClusterProps>({
    radius: options.radius ?? 60,
    maxZoom: options.maxZoom ?? 16,
    map: (props) => {
      const counts = new Array<number>(jobStatuses.length).fill(0);
      counts[statusIndex.get(props.status) ?? 0] = 1;
      return { counts };
    },
    reduce: (total, props) => {
      for (let i = 0; i < total.counts.length; i += 1) total.counts[i] = (total.counts[i] ?? 0) + (props.counts[i] ?? 0);
    },
  });
  index.load(
    jobs.map((job, i) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [job.lon, job.lat] },
      properties: { index: i, status: job.status },
    })),
  );
  return {
    markers(view, zoom) {
      return index.getClusters([...view], Math.round(zoom)).map((feature): MapMarker => {
        const [lon, lat] = feature.geometry.coordinates as [number, number];
        const props = feature.properties;
        if ('cluster' in props && props.cluster) {
          return { kind: 'cluster', clusterId: props.cluster_id, lat, lon, count: props.point_count, counts: props.counts };
        }
        const job = jobs[(props as PointProps).index];
        if (!job) throw new Error('a clustered point lost its job');
        return { kind: 'job', job };
      });
    },
    expansionZoom: (clusterId) => index.getClusterExpansionZoom(clusterId),
    jobIds: (clusterId) => index.getLeaves(clusterId, Infinity).flatMap((leaf) => jobs[leaf.properties.index]?.id ?? []),
  };
}

/**
 * The server's clusters for a view too full to draw job by job (more than MAP_VIEW_JOB_CAP): the
 * same markers, already counted. A click zooms in two steps, where the server counts finer
 * cells or sends the jobs themselves; the jobs' ids stay on the server.
 */
export function serverClusterIndex(clusters: readonly MapCluster[], zoom: number): JobClusterIndex {
  const markers: MapMarker[] = clusters.flatMap((cluster, clusterId) =>
    cluster.count === 0 ? [] : [{ kind: 'cluster' as const, clusterId, lat: cluster.lat, lon: cluster.lon, count: cluster.count, counts: cluster.byStatus }],
  );
  return {
    markers: () => markers,
    expansionZoom: () => Math.min(18, Math.round(zoom) + 2),
    jobIds: () => [],
  };
}

/**
 * The status most of a cluster's jobs share, or null when none has a majority: a mixed bubble
 * is drawn neutral rather than claiming a colour most of its jobs do not have.
 */
export function dominantStatus(counts: StatusCounts): JobStatus | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  let best = -1;
  counts.forEach((n, i) => {
    if (best < 0 || n > (counts[best] ?? 0)) best = i;
  });
  const status = jobStatuses[best];
  return status !== undefined && total > 0 && (counts[best] ?? 0) * 2 > total ? status : null;
}
