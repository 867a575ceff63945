import { compileProblem, isSymmetric, type CompiledProblem } from './compiled-problem';
import type { RoutePlanRequest } from './plan-request';
import { scheduleCompiled, type RouteSchedule } from './schedule';
import { searchSchedule } from './schedule-search';
import { Deadline, resolveBudget, type SearchBudget } from './search-budget';
import { tourCosts, type TourCosts } from './tour-costs';
import { exhaustiveTour, improveTour, nearestNeighbourLists, tourNeighbourCount } from './tour-search';
import { explainUnplaced, type UnplacedStop } from './unplaced-reasons';

export interface RoutePlan {
  /** Stop ids in visiting order. */
  readonly order: readonly string[];
  /** The same order as indices into `request.stops`. */
  readonly stopIndices: readonly number[];
  /** Travel total in the request's metric, recomputed from the matrix for the order above. */
  readonly cost: number;
  readonly schedule: RouteSchedule;
  readonly unplaced: readonly UnplacedStop[];
  readonly search: {
    readonly engine: 'tour' | 'schedule';
    readonly iterations: number;
    readonly elapsedMs: number;
    readonly seed: number;
    /** True when the time limit, not the search settling or the iteration cap, ended the work. */
    readonly deadlineReached: boolean;
  };
}

export type PlanOptions = Partial<SearchBudget>;

/** What writing up a plan costs a stop (its visit or its reason in words): 25 ms for 5,000 stops measured on a loaded 2-core machine. */
const finishingMsPerStop = 0.005;

/**
 * Orders a day's stops. The same request, seed and iteration cap give the same plan on any
 * machine; with a time limit the plan is as good as the time allowed.
 *
 * The time limit covers everything from this call on: reading the matrix, neighbour lists,
 * construction and search all stop at the deadline with the best feasible day they have, so
 * the call returns within a few milliseconds of the limit at any size.
 */
export function planRoute(request: RoutePlanRequest, options: PlanOptions = {}): RoutePlan {
  const budget = resolveBudget(options);
  // The search ends early by what writing the plan up costs (the schedule and a reason for
  // each stop left out, tens of milliseconds on thousands of stops), so the answer, not only
  // the search, is in by the deadline.
  const deadline = Deadline.of({ ...budget, timeLimitMs: budget.timeLimitMs - finishingMsPerStop * request.stops.length });
  const problem = compileProblem(request);
  const pureTour = !problem.hasTimeRules && !problem.hasLocks && isSymmetric(problem.metricRows, deadline) === true;
  let order: number[];
  let iterations: number;
  let everyStopTried = true;
  if (pureTour) {
    ({ order, iterations } = solveAsTour(problem, budget, deadline));
  } else {
    const result = searchSchedule(problem, budget, deadline);
    order = Array.from(result.order);
    iterations = result.iterations;
    everyStopTried = result.everyStopTried;
  }
  const placed = new Set(order);
  const unplaced: UnplacedStop[] = [];
  for (let s = 0; s < problem.stopCount; s++) {
    if (!placed.has(s)) unplaced.push(explainUnplaced(problem, s, everyStopTried));
  }
  const schedule = scheduleCompiled(problem, order);
  return {
    order: order.map((s) => request.stops[s]?.id ?? String(s)),
    stopIndices: order,
    cost: schedule.totals.cost,
    schedule,
    unplaced,
    search: {
      engine: pureTour ? 'tour' : 'schedule',
      iterations,
      elapsedMs: deadline.elapsedMs(),
      seed: budget.seed,
      deadlineReached: deadline.reached,
    },
  };
}

/**
 * With no time rules the day is a travelling-salesman tour or path (see tour-costs.ts for how
 * a path becomes a tour). Any order is a feasible day here, so when the deadline cuts the
 * preparation short the stops go in the order given, or as far as the nearest-neighbour tour
 * got and the rest as given.
 */
function solveAsTour(problem: CompiledProblem, budget: SearchBudget, deadline: Deadline): { order: number[]; iterations: number } {
  const k = problem.stopCount;
  const asGiven = { order: Array.from({ length: k }, (_, s) => s), iterations: 0 };
  if (k === 0) return { order: [], iterations: 0 };
  const costs = tourCosts(problem, deadline);
  if (costs === null) return asGiven;
  const m = costs.m;
  // Node 0 is the start, 1..k the stops, then a fixed end and the closing node when there are.
  const closing = problem.endNode === problem.startNode ? -1 : m - 1;
  if (m <= 8) return { order: pathFromTour(exhaustiveTour(costs).tour, m, closing, k), iterations: 0 };
  const nk = Math.min(tourNeighbourCount, m - 1);
  const neighbours = nearestNeighbourLists(costs, nk, deadline);
  if (neighbours === null) return asGiven;
  // The path's tail is fixed: stops, then the end (if fixed), then the closing node.
  const initial = new Int32Array(m);
  initial.set(nearestNeighbourPath(costs, k, neighbours, nk, deadline));
  for (let node = k + 1; node < m; node++) initial[node] = node;
  const result = improveTour(costs, initial, neighbours, nk, budget, deadline);
  return { order: pathFromTour(result.tour, m, closing, k), iterations: result.iterations };
}

/**
 * Start (0), then stops 1..k, each the nearest not yet visited: from the neighbour list when
 * one there is free, by a full scan when none is. At the deadline the rest follow as given.
 */
function nearestNeighbourPath(costs: TourCosts, k: number, neighbours: Int32Array, nk: number, deadline: Deadline): number[] {
  const path = [0];
  const used = new Uint8Array(k + 1);
  const expired = deadline.every(16);
  let at = 0;
  for (let step = 0; step < k; step++) {
    if (expired()) {
      for (let j = 1; j <= k; j++) if (used[j] === 0) path.push(j);
      return path;
    }
    let best = -1;
    for (let n = 0; n < nk && best < 0; n++) {
      const j = neighbours[at * nk + n] as number;
      if (j >= 1 && j <= k && used[j] === 0) best = j;
    }
    if (best < 0) {
      let bestCost = Infinity;
      for (let j = 1; j <= k; j++) {
        const c = costs.dist(at, j);
        if (used[j] === 0 && c < bestCost) {
          best = j;
          bestCost = c;
        }
      }
    }
    used[best] = 1;
    path.push(best);
    at = best;
  }
  return path;
}

/** Reads stop indices from the tour, starting at the start and heading away from the closing node. */
function pathFromTour(tour: Int32Array, m: number, closing: number, k: number): number[] {
  const startAt = tour.indexOf(0);
  const next = tour[(startAt + 1) % m] as number;
  const step = closing >= 0 && next === closing ? -1 : 1;
  const order: number[] = [];
  for (let i = 1; i < m; i++) {
    const local = tour[(((startAt + step * i) % m) + m) % m] as number;
    if (local >= 1 && local <= k) order.push(local - 1);
  }
  return order;
}
