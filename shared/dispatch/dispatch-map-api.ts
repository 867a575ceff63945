import { z } from 'zod';
import { IsoDate, IsoDateTime } from '../domain/job';
import { JobStatus } from '../domain/job-status';

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
