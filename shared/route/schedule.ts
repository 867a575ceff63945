import { compileProblem, metricBetween, travelBetween, type CompiledProblem } from './compiled-problem';
import type { RoutePlanRequest } from './plan-request';
import { brokenWords, relativeClock, type BrokenFacts, type DayClock } from './route-words';

export interface PlannedVisit {
  readonly stopId: string;
  readonly node: number;
  readonly position: number;
  /** The ETA: when the agent gets there. */
  readonly arrivalS: number;
  /** Time spent waiting for the appointment window to open. */
  readonly waitS: number;
  readonly serviceStartS: number;
  readonly departureS: number;
  readonly travelFromPreviousS: number;
  readonly distanceFromPreviousM: number | null;
  readonly costFromPrevious: number;
  /** How late against the soft due time; 0 when on time or when there is none. */
  readonly lateByS: number;
}

export interface RouteTotals {
  /** Travel total in the request's own metric (seconds, metres or generic cost). */
  readonly cost: number;
  readonly distanceM: number | null;
  readonly driveS: number | null;
  readonly serviceS: number;
  readonly waitS: number;
  readonly startS: number;
  /** Arrival at the end place, or departure from the last stop when the day ends there. */
  readonly finishS: number;
  /** Soft-due penalties, in the request's metric. */
  readonly latenessPenalty: number;
}

/** A hard rule the order breaks (a window missed, the day overrun, a lock moved), in words. */
export interface BrokenRule {
  readonly stopId: string | null;
  readonly rule: 'window' | 'working-day' | 'lock';
  readonly message: string;
  /** The times behind the message, so an app can say them on its calendar. */
  readonly facts: BrokenFacts;
}

function brokenRule(stopId: string | null, facts: BrokenFacts, clock: DayClock): BrokenRule {
  return { stopId, rule: facts.rule, message: brokenWords(facts, clock), facts };
}

export interface RouteSchedule {
  readonly visits: readonly PlannedVisit[];
  readonly totals: RouteTotals;
  readonly broken: readonly BrokenRule[];
}

/**
 * Times and totals for a given order of stops, hard rules checked but not enforced: the map
 * calls this after the agent drags a stop, to update ETAs and show which windows break.
 * `order` holds stop ids; stops not in it are simply not visited.
 */
export function scheduleRoute(request: RoutePlanRequest, order: readonly string[], clock: DayClock = relativeClock): RouteSchedule {
  const index = new Map(request.stops.map((stop, i) => [stop.id, i] as const));
  const stopIndices = order.map((id) => {
    const found = index.get(id);
    if (found === undefined) throw new RangeError(`stop ${id} is not in the request`);
    return found;
  });
  return scheduleCompiled(compileProblem(request), stopIndices, clock);
}

export function scheduleCompiled(problem: CompiledProblem, order: readonly number[], sayTime: DayClock = relativeClock): RouteSchedule {
  const { request } = problem;
  const distances = request.matrix.distancesM;
  const hasDurations = request.matrix.durationsS !== undefined;
  const visits: PlannedVisit[] = [];
  const broken: BrokenRule[] = [];
  let place = problem.startNode;
  let clock = problem.dayStartS;
  let cost = 0;
  let distanceM = 0;
  let driveS = 0;
  let serviceTotal = 0;
  let waitTotal = 0;
  let penalty = 0;

  order.forEach((stop, position) => {
    const stopSpec = request.stops[stop];
    if (stopSpec === undefined) throw new RangeError(`no stop at index ${stop}`);
    const to = problem.node[stop] as number;
    const travel = travelBetween(problem, place, to);
    const legCost = metricBetween(problem, place, to);
    const legDistance = distances ? (distances[place]?.[to] ?? 0) : null;
    const arrival = clock + travel;
    const earliest = problem.earliestS[stop] as number;
    const latest = problem.latestS[stop] as number;
    const serviceStart = Math.max(arrival, earliest);
    const lateBy = Math.max(0, serviceStart - (problem.dueByS[stop] as number));
    if (arrival > latest + 1e-6) {
      broken.push(brokenRule(stopSpec.id, { rule: 'window', arrivalS: arrival, latestS: latest }, sayTime));
    }
    if (stopSpec.lockedPosition !== null && stopSpec.lockedPosition !== position) {
      broken.push(brokenRule(stopSpec.id, { rule: 'lock', lockedPosition: stopSpec.lockedPosition, position }, sayTime));
    }
    const departure = serviceStart + stopSpec.serviceS;
    visits.push({
      stopId: stopSpec.id,
      node: to,
      position,
      arrivalS: arrival,
      waitS: serviceStart - arrival,
      serviceStartS: serviceStart,
      departureS: departure,
      travelFromPreviousS: travel,
      distanceFromPreviousM: legDistance,
      costFromPrevious: legCost,
      lateByS: lateBy,
    });
    cost += legCost;
    driveS += travel;
    distanceM += legDistance ?? 0;
    serviceTotal += stopSpec.serviceS;
    waitTotal += serviceStart - arrival;
    penalty += lateBy * (problem.latePenaltyPerS[stop] as number);
    clock = departure;
    place = to;
  });

  if (problem.endNode >= 0) {
    const travel = travelBetween(problem, place, problem.endNode);
    cost += metricBetween(problem, place, problem.endNode);
    driveS += travel;
    distanceM += distances ? (distances[place]?.[problem.endNode] ?? 0) : 0;
    clock += travel;
  }
  if (clock > problem.dayEndS + 1e-6) {
    broken.push(brokenRule(null, { rule: 'working-day', finishS: clock, dayEndS: problem.dayEndS }, sayTime));
  }
  return {
    visits,
    totals: {
      cost,
      distanceM: distances ? distanceM : null,
      driveS: hasDurations ? driveS : null,
      serviceS: serviceTotal,
      waitS: waitTotal,
      startS: problem.dayStartS,
      finishS: clock,
      latenessPenalty: penalty,
    },
    broken,
  };
}
