import { z } from 'zod';
import { IsoDate, IsoDateTime } from '../domain/job';
import { JobFilter } from '../api/job-query';
import { JobStatus, jobStatuses } from '../domain/job-status';

/**
 * One job as the dispatch map needs it and nothing more, so 10,000 jobs fit in one answer.
 * A job the geocoder could not place has null coordinates; the dispatcher pins it by hand.
 */
export const MapJobPoint = z.object({
  id: z.uuid(),
  status: JobStatus,
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  customerName: z.string(),
  /** Street and city, so a job without a pin can be found on the map by its address. */
  addressLine: z.string(),
  assignedAgentId: z.uuid().nullable(),
  dueDate: IsoDate.nullable(),
});
export type MapJobPoint = z.infer<typeof MapJobPoint>;

/**
 * Where an agent was last known to be. Laptops send no live position: a visit's GPS fix is the
 * best evidence, else the address of the job whose status the agent last changed.
 */
export const AgentPosition = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  at: IsoDateTime,
  source: z.enum(['visit', 'status_change']),
});
export type AgentPosition = z.infer<typeof AgentPosition>;

export const MapAgent = z.object({
  id: z.uuid(),
  displayName: z.string(),
  username: z.string(),
  /** When the agent's laptop last pulled from the server; null if it never has. */
  lastSyncAt: IsoDateTime.nullable(),
  lastPosition: AgentPosition.nullable(),
});
export type MapAgent = z.infer<typeof MapAgent>;

export const MapPoints = z.object({ jobs: z.array(MapJobPoint), agents: z.array(MapAgent) });
export type MapPoints = z.infer<typeof MapPoints>;

/** The agents the map shows, without any job: their last sync and last known position. */
export const MapAgents = z.object({ agents: z.array(MapAgent) });
export type MapAgents = z.infer<typeof MapAgents>;

const Longitude = z.coerce.number().min(-180).max(180);
const Latitude = z.coerce.number().min(-90).max(90);

/**
 * What the map shows: the jobs in its view (a box in degrees) that match the office's filter, at
 * its zoom. The server answers with the jobs themselves when few enough are in view to draw one
 * by one, else with clusters it counted; either way the totals are exact.
 */
export const MapViewQuery = JobFilter.extend({
  west: Longitude,
  south: Latitude,
  east: Longitude,
  north: Latitude,
  zoom: z.coerce.number().int().min(0).max(22),
  /** Also answer the box around every located job that matches the filter (to frame the map once). */
  extent: z.enum(['true', 'false']).transform((flag) => flag === 'true').optional(),
}).refine((view) => view.west <= view.east && view.south <= view.north, { message: 'expected west ≤ east and south ≤ north', path: ['east'] });
export type MapViewQuery = z.output<typeof MapViewQuery>;

/** Up to this many jobs in view come one by one; more come as the server's clusters. */
export const MAP_VIEW_JOB_CAP = 2_500;
/** Up to this many jobs without a pin are listed; the count says how many there are. */
export const MAP_UNPLACED_SHOWN = 50;

const Count = z.number().int().nonnegative();

/** Jobs near one another, counted by status (in `jobStatuses` order), drawn at their mean place. */
export const MapCluster = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  count: Count,
  byStatus: z.array(Count).length(jobStatuses.length),
});
export type MapCluster = z.infer<typeof MapCluster>;

export const MapView = z.object({
  /** Jobs in the view that match the filter. */
  total: Count,
  /** Of those, by status in `jobStatuses` order: the legend. */
  byStatus: z.array(Count).length(jobStatuses.length),
  /** Of those, by agent (nobody's jobs are left out). */
  byAgent: z.array(z.object({ agentId: z.uuid(), count: Count })),
  /** Every job in view, when there are at most MAP_VIEW_JOB_CAP; else empty. */
  jobs: z.array(MapJobPoint),
  /** The server's clusters when more jobs than the cap are in view; else empty. */
  clusters: z.array(MapCluster),
  /** The box around every located job matching the filter, when asked for (null when none is located). */
  extent: z.object({ south: z.number(), west: z.number(), north: z.number(), east: z.number() }).nullable(),
  /** Jobs matching the filter that have no coordinates yet, wherever the view is. */
  unplaced: z.object({ total: Count, jobs: z.array(MapJobPoint) }),
});
export type MapView = z.infer<typeof MapView>;
