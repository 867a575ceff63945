import { compileProblem, isSymmetric, type CompiledProblem } from './compiled-problem';
import type { RoutePlanRequest } from './plan-request';
import { scheduleCompiled, type RouteSchedule } from './schedule';
import { searchSchedule } from './schedule-search';
import { resolveBudget, type SearchBudget } from './search-budget';
import { improveTour } from './tour-search';
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
  };
}

export type PlanOptions = Partial<SearchBudget>;

/**
 * Orders a day's stops. The same request, seed and iteration cap give the same plan on any
 * machine; with a time limit the plan is as good as the time allowed.
 */
export function planRoute(request: RoutePlanRequest, options: PlanOptions = {}): RoutePlan {
  const budget = resolveBudget(options);
  const startedAt = budget.clock();
  const problem = compileProblem(request);
  const pureTour = !problem.hasTimeRules && !problem.hasLocks && isSymmetric(problem.metric, problem.size);
  const { order, iterations } = pureTour
    ? { ...solveAsTour(problem, budget) }
    : (() => {
        const result = searchSchedule(problem, budget);
        return { order: Array.from(result.order), iterations: result.iterations };
      })();
  const placed = new Set(order);
  const unplaced: UnplacedStop[] = [];
  for (let s = 0; s < problem.stopCount; s++) if (!placed.has(s)) unplaced.push(explainUnplaced(problem, s));
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
      elapsedMs: budget.clock() - startedAt,
      seed: budget.seed,
    },
  };
}

/**
 * With no time rules the day is a travelling-salesman tour or path. A path from the start
 * (to a fixed end, or to wherever) becomes a tour through one extra "closing" node that is
 * free to reach from the start and the end but dear from anywhere else, so every good tour
 * passes start → … → end → closing → start.
 */
function solveAsTour(problem: CompiledProblem, budget: SearchBudget): { order: number[]; iterations: number } {
  const k = problem.stopCount;
  if (k === 0) return { order: [], iterations: 0 };
  const closed = problem.endNode === problem.startNode;
  const fixedEnd = !closed && problem.endNode >= 0;
  const places = [problem.startNode, ...Array.from(problem.node)];
  if (fixedEnd) places.push(problem.endNode);
  const real = places.length;
  const m = closed ? real : real + 1;
  const cost = new Float64Array(m * m);
  let largest = 0;
  for (let i = 0; i < real; i++) {
    for (let j = 0; j < real; j++) {
      const c = problem.metric[(places[i] as number) * problem.size + (places[j] as number)] as number;
      cost[i * m + j] = c;
      largest = Math.max(largest, c);
    }
  }
  if (!closed) {
    const dear = 1 + largest * m;
    const closing = real;
    for (let i = 0; i < real; i++) {
      const free = i === 0 || (fixedEnd && i === real - 1);
      cost[i * m + closing] = free ? 0 : dear;
      cost[closing * m + i] = free ? 0 : dear;
    }
    if (fixedEnd) {
      // The end is reached through the closing node only, never used as a stop.
      cost[0 * m + (real - 1)] = dear;
      cost[(real - 1) * m + 0] = dear;
    }
  }
  const initial = new Int32Array(m);
  const nearest = nearestNeighbourPath(cost, m, k);
  initial.set(nearest);
  if (fixedEnd) initial[k + 1] = real - 1;
  if (!closed) initial[m - 1] = real;
  const result = improveTour(cost, m, initial, budget);
  return { order: pathFromTour(result.tour, m, closed ? -1 : real, k), iterations: result.iterations };
}

/** Start (0), then stops 1..k by nearest neighbour. */
function nearestNeighbourPath(cost: Float64Array, m: number, k: number): number[] {
  const path = [0];
  const used = new Uint8Array(k + 1);
  let at = 0;
  for (let step = 0; step < k; step++) {
    let best = -1;
    let bestCost = Infinity;
    for (let j = 1; j <= k; j++) {
      const c = cost[at * m + j] as number;
      if (used[j] === 0 && c < bestCost) {
        best = j;
        bestCost = c;
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
