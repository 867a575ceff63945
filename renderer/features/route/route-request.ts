import type { Priority } from '../../../shared/domain/job';
import { RoutePlanRequest, type GeoPoint, type TravelMatrix } from '../../../shared/route';
import type { LocalJob } from '../../db/schema';
import { clockToDaySeconds, secondsSinceLocalMidnight, windowInDaySeconds } from '../../../shared/domain/time-zone';
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
  /** When the plan is made (ms since the epoch): a day already under way starts now, not at its start. */
  readonly plannedAtMs: number;
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

/** ETAs are rounded to five minutes: a plan to drive by, not a stopwatch. */
const departureStepS = 300;

/**
 * When the day's first leg leaves, in seconds since the day's local midnight. Planned before
 * the working day starts (or for a later day), that is the configured start; planned once the
 * day is under way, it is now, rounded up to the next five minutes, so no ETA lies in the past.
 */
export function firstDepartureS(day: string, timeZone: string, dayStart: string, plannedAtMs: number): number {
  const startS = clockToDaySeconds(dayStart, day, timeZone);
  const nowS = secondsSinceLocalMidnight(plannedAtMs, day, timeZone);
  if (nowS <= startS) return startS;
  return Math.ceil(nowS / departureStepS) * departureStepS;
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
    day: {
      startS: firstDepartureS(day, timeZone, settings.dayStart, input.plannedAtMs),
      endS: clockToDaySeconds(settings.dayEnd, day, timeZone),
    },
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
