import type { Priority } from '../../../shared/domain/job';
import { RoutePlanRequest, type GeoPoint, type TravelMatrix } from '../../../shared/route';
import type { LocalJob } from '../../db/schema';
import { clockToDaySeconds, windowInDaySeconds } from './local-day';
import type { RouteSettings } from './route-settings';

export interface RouteStart {
  readonly lat: number;
  readonly lon: number;
  readonly label: string;
}

export interface DayPlanInput {
  readonly day: string;
  readonly timeZone: string;
  readonly start: RouteStart;
  readonly jobs: readonly LocalJob[];
  readonly lockedPositions: Readonly<Record<string, number>>;
  readonly settings: RouteSettings;
}

/** When not everything fits, the planner drops low-priority stops first. */
const priorityWeight: Record<Priority, number> = { low: 1, normal: 2, high: 4, urgent: 8 };

export function hasCoordinates(job: LocalJob): job is LocalJob & { address: { lat: number; lon: number } } {
  return job.address.lat !== null && job.address.lon !== null;
}

/** Node 0 is the start; stop i is node i + 1. Jobs with no coordinates cannot be placed on a map. */
export function routePoints(start: RouteStart, jobs: readonly LocalJob[]): GeoPoint[] {
  return [{ lat: start.lat, lon: start.lon }, ...jobs.filter(hasCoordinates).map((job) => ({ lat: job.address.lat, lon: job.address.lon }))];
}

/**
 * The planner's request for a day: appointment windows become hard windows on the day's
 * timeline (in the plan's zone, so a job booked in another zone still lands at the right
 * instant), the working day bounds the schedule, and pinned stops keep their positions.
 */
export function buildPlanRequest(input: DayPlanInput, matrix: TravelMatrix): RoutePlanRequest {
  const placeable = input.jobs.filter(hasCoordinates);
  const { day, timeZone, settings } = input;
  const lockCount = placeable.length;
  return RoutePlanRequest.parse({
    matrix: { durationsS: matrix.durationsS, distancesM: matrix.distancesM },
    metric: 'duration',
    startNode: 0,
    returnToStart: settings.returnToStart,
    day: { startS: clockToDaySeconds(settings.dayStart, day, timeZone), endS: clockToDaySeconds(settings.dayEnd, day, timeZone) },
    stops: placeable.map((job, i) => {
      const locked = input.lockedPositions[job.id];
      return {
        id: job.id,
        node: i + 1,
        serviceS: settings.serviceMinutes * 60,
        window: job.appointment ? windowInDaySeconds(job.appointment, day, timeZone) : null,
        priority: priorityWeight[job.priority],
        // A lock saved for a longer day may point past today's last stop; it then lapses.
        lockedPosition: locked !== undefined && locked < lockCount ? locked : null,
      };
    }),
  });
}
