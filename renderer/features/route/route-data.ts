import { useLiveQuery } from 'dexie-react-hooks';
import { calendarClock, offlineTravelMatrix, scheduleRoute, unplacedWords, type DayClock, type RouteSchedule, type TravelMatrix } from '../../../shared/route';
import type { JobStatus } from '../../../shared/domain/job-status';
import { jobsRepository, routePlansRepository } from '../../app/local-database';
import type { LocalJob, RoutePlanRow } from '../../db/schema';
import { getBridge } from '../../platform/bridge';
import { openDirections } from '../jobs/navigation';
import { buildGpx, gpxFileName } from './gpx';
import { daySecondsToIso } from '../../../shared/domain/time-zone';
import { timeContext } from '../../ui/date-format';
import { buildPlanRequest, hasCoordinates, routePoints, type RouteStart } from './route-request';
import type { RouteSettings } from './route-settings';
import { fetchRoadTimes, roadMatrixFor, type RoadTimes } from './road-times';
import { runPlanner } from './run-planner';

/** Jobs with nothing left to visit for: the office's terminal states and a full recovery. */
const doneStatuses: ReadonlySet<JobStatus> = new Set(['recovered', 'cancelled', 'closed']);

/** The jobs an agent can still plan a visit to, live. `undefined` while loading. */
export function usePlannableJobs(): LocalJob[] | undefined {
  return useLiveQuery(async () => (await jobsRepository.listJobs({})).filter((job) => !doneStatuses.has(job.status)), []);
}

/** The plan's stops in visiting order, those on the map. */
export function plannedStops(plan: RoutePlanRow | null | undefined, jobsById: ReadonlyMap<string, LocalJob>): LocalJob[] {
  return (plan?.order ?? []).map((id) => jobsById.get(id)).filter((job): job is LocalJob => job !== undefined && hasCoordinates(job));
}

/** The saved plan for the day, live; `null` when there is none yet. */
export function useSavedPlan(agentId: string, day: string): RoutePlanRow | null | undefined {
  return useLiveQuery(() => routePlansRepository.getPlan(agentId, day), [agentId, day]);
}

export function savePlan(plan: Omit<RoutePlanRow, 'id' | 'updatedAt'>): Promise<RoutePlanRow> {
  return routePlansRepository.savePlan(plan);
}

export function clearPlan(agentId: string, day: string): Promise<void> {
  return routePlansRepository.deletePlan(agentId, day);
}

/** The plan's times said on its calendar: "13:20" on the day, "Thursday 13:20" on another. */
export function planClock(day: string, timeZone: string): DayClock {
  return calendarClock(day, timeContext(timeZone));
}

/** Road times when the routing service gave them for these places; otherwise the offline estimate. */
function travelMatrix(start: RouteStart, jobs: readonly LocalJob[], settings: RouteSettings, road: RoadTimes | null): TravelMatrix {
  return (
    roadMatrixFor(road, jobs.map((job) => job.id)) ??
    offlineTravelMatrix(routePoints(start, jobs), { detourFactor: settings.detourFactor, averageSpeedKmh: settings.averageSpeedKmh })
  );
}

export interface OptimizeOutcome {
  readonly plan: RoutePlanRow;
  /** The road times the plan was made with, when the routing service gave them. */
  readonly road: RoadTimes | null;
  /** Why road travel times were not used, when OSRM is configured but did not answer. */
  readonly matrixNote: string | null;
}

/** Orders the picked jobs, honouring pinned stops, and saves the plan. */
export async function optimizeDay(args: {
  agentId: string;
  day: string;
  timeZone: string;
  start: RouteStart;
  jobs: readonly LocalJob[];
  lockedPositions: Readonly<Record<string, number>>;
  settings: RouteSettings;
}): Promise<OptimizeOutcome> {
  const { start, jobs, settings } = args;
  const placeable = jobs.filter(hasCoordinates);
  let road: RoadTimes | null = null;
  let matrixNote: string | null = null;
  if (settings.osrmUrl !== '') {
    const answer = await fetchRoadTimes(settings, start, placeable);
    if (answer.ok) road = answer.times;
    else matrixNote = answer.reason;
  }
  const matrix = travelMatrix(start, placeable, settings, road);
  const plannedAtMs = Date.now();
  const request = buildPlanRequest({ ...args, jobs: placeable, plannedAtMs }, matrix);
  const result = await runPlanner(request);
  const noCoordinates = jobs.filter((job) => !hasCoordinates(job)).map((job) => ({ jobId: job.id, reason: 'the address has no map position' }));
  const order = [...result.order];
  const plan = await savePlan({
    agentId: args.agentId,
    day: args.day,
    timeZone: args.timeZone,
    jobIds: jobs.map((job) => job.id),
    order,
    // Pins follow their stops into the new order, which the planner kept at the pinned slots.
    lockedPositions: Object.fromEntries(Object.keys(args.lockedPositions).filter((id) => order.includes(id)).map((id) => [id, order.indexOf(id)])),
    unplaced: [...result.unplaced.map((u) => ({ jobId: u.stopId, reason: unplacedWords(u.facts, planClock(args.day, args.timeZone)) })), ...noCoordinates],
    start,
    optimizedAt: new Date(plannedAtMs).toISOString(),
  });
  return { plan, road, matrixNote };
}

export interface DaySchedule {
  readonly schedule: RouteSchedule;
  readonly stops: readonly LocalJob[];
  /** Road times from the routing service, or the straight-line estimate. */
  readonly travelSource: TravelMatrix['source'];
}

/**
 * ETAs and broken rules for the plan's current order; recomputed after every drag. The day
 * leaves when the plan was made, so a reload or a drag later on does not shift every ETA.
 */
export function scheduleDay(
  plan: RoutePlanRow,
  jobsById: ReadonlyMap<string, LocalJob>,
  settings: RouteSettings,
  road: RoadTimes | null,
): DaySchedule | null {
  const stops = plannedStops(plan, jobsById);
  if (stops.length === 0) return null;
  const matrix = travelMatrix(plan.start, stops, settings, road);
  const request = buildPlanRequest(
    {
      day: plan.day,
      timeZone: plan.timeZone,
      start: plan.start,
      jobs: stops,
      lockedPositions: plan.lockedPositions,
      settings,
      plannedAtMs: plan.optimizedAt ? Date.parse(plan.optimizedAt) : Date.now(),
    },
    matrix,
  );
  return { schedule: scheduleRoute(request, stops.map((job) => job.id), planClock(plan.day, plan.timeZone)), stops, travelSource: matrix.source };
}

/** Where the day starts: the device's position, else the depot, else the middle of the stops. */
export async function resolveStart(settings: RouteSettings, jobs: readonly LocalJob[]): Promise<{ start: RouteStart | null; note: string | null }> {
  let note: string | null = null;
  if (settings.startFrom === 'position') {
    const position = await getBridge().getCurrentPosition();
    if (position.ok) return { start: { lat: position.lat, lon: position.lon, label: 'My location' }, note: null };
    note = `Your location is not available (${position.reason}).`;
  }
  if (settings.depot) return { start: settings.depot, note };
  const placed = jobs.filter(hasCoordinates);
  if (placed.length === 0) return { start: null, note: note ?? 'None of the picked jobs has a map position.' };
  const lat = placed.reduce((sum, job) => sum + job.address.lat, 0) / placed.length;
  const lon = placed.reduce((sum, job) => sum + job.address.lon, 0) / placed.length;
  return {
    start: { lat, lon, label: 'Centre of the stops' },
    note: `${note ?? ''} No depot is set, so the day starts from the centre of the stops; set a depot in Route settings.`.trim(),
  };
}

export function openStopInNavigation(job: LocalJob): Promise<void> {
  return openDirections(job.address);
}

export async function exportDayGpx(plan: RoutePlanRow, day: DaySchedule): Promise<boolean> {
  const content = buildGpx({
    name: `Reclaim route ${plan.day}`,
    createdAt: new Date().toISOString(),
    start: plan.start,
    stops: day.stops.map((job, i) => {
      const visit = day.schedule.visits[i];
      return {
        name: job.customer.name,
        lat: job.address.lat ?? 0,
        lon: job.address.lon ?? 0,
        arrival: visit ? daySecondsToIso(visit.arrivalS, plan.day, plan.timeZone) : null,
        description: [job.address.line1, job.address.city, job.accountRef].filter(Boolean).join(', '),
      };
    }),
  });
  const result = await getBridge().saveFile({ suggestedName: gpxFileName(plan.day), mimeType: 'application/gpx+xml', content });
  return result.saved;
}
