import { describe, expect, it } from 'vitest';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { seededRandom } from '../../shared/route/random';
import { planRoute, type RoutePlan } from '../../shared/route/route-planner';
import { windowedDay } from '../fixtures/route/windowed-day';

/**
 * On the real clock, a budget of a millisecond or a few dozen runs out somewhere in the
 * preparation of a big day (reading the matrix, neighbour lists, construction) — where exactly
 * depends on the machine and its load. Wherever it falls, the plan must be a valid day: every
 * stop planned once or said to be left out, no window or working day broken, the cost that of
 * the order given. Only validity is checked here; how close to the budget the answer comes is
 * the bench's measure (tests/bench/route-planner.bench.ts), never a test's.
 */
const budgetsMs = [1, 20];

/** Rounded Euclidean costs between uniform random points, node 0 the depot. */
function randomCosts(nodes: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const points = Array.from({ length: nodes }, () => ({ x: random() * 10_000, y: random() * 10_000 }));
  return points.map((a) => points.map((b) => Math.round(Math.hypot(a.x - b.x, a.y - b.y))));
}

function randomTour(stops: number, seed: number): RoutePlanRequest {
  return RoutePlanRequest.parse({
    matrix: { costs: randomCosts(stops + 1, seed) },
    metric: 'cost',
    startNode: 0,
    returnToStart: true,
    stops: Array.from({ length: stops }, (_, i) => ({ id: `s${i + 1}`, node: i + 1 })),
  });
}

/** A path from the depot to a fixed end (the tour engine's other shape). */
function openPath(stops: number, seed: number): RoutePlanRequest {
  return RoutePlanRequest.parse({
    matrix: { costs: randomCosts(stops + 2, seed) },
    metric: 'cost',
    startNode: 0,
    endNode: stops + 1,
    stops: Array.from({ length: stops }, (_, i) => ({ id: `s${i + 1}`, node: i + 1 })),
  });
}

/** The legs of the order, summed from the request's own matrix. */
function costOf(request: RoutePlanRequest, plan: RoutePlan): number {
  const rows = request.matrix.costs ?? request.matrix.durationsS ?? [];
  const end = request.returnToStart ? request.startNode : (request.endNode ?? null);
  const nodes = [request.startNode, ...plan.stopIndices.map((s) => request.stops[s]?.node ?? -1), ...(end === null ? [] : [end])];
  let total = 0;
  for (let i = 1; i < nodes.length; i++) total += rows[nodes[i - 1] as number]?.[nodes[i] as number] ?? Number.NaN;
  return total;
}

function expectValidDay(request: RoutePlanRequest, plan: RoutePlan, everyStopPlanned: boolean): void {
  expect(new Set(plan.order).size).toBe(plan.order.length);
  const accounted = [...plan.order, ...plan.unplaced.map((u) => u.stopId)].sort();
  expect(accounted).toEqual(request.stops.map((s) => s.id).sort());
  expect(plan.order).toEqual(plan.stopIndices.map((s) => request.stops[s]?.id));
  expect(plan.schedule.broken).toEqual([]);
  expect(plan.cost).toBeCloseTo(costOf(request, plan), 6);
  if (everyStopPlanned) expect(plan.unplaced).toEqual([]);
  for (const u of plan.unplaced) expect(u.reason.length).toBeGreaterThan(10);
}

describe('the planner on a budget too small to search', () => {
  const tour = randomTour(2_000, 11);
  const path = openPath(1_200, 12);
  const day = windowedDay(1_000, 13);

  it.each(budgetsMs)('a 2,000-stop tour on %i ms is a tour of every stop', (ms) => {
    expectValidDay(tour, planRoute(tour, { seed: 1, timeLimitMs: ms }), true);
  });

  it.each(budgetsMs)('a 1,200-stop path to a fixed end on %i ms visits every stop and ends there', (ms) => {
    const plan = planRoute(path, { seed: 1, timeLimitMs: ms });
    expectValidDay(path, plan, true);
    expect(plan.schedule.visits).toHaveLength(1_200);
  });

  it.each(budgetsMs)('a 1,000-stop day with windows on %i ms keeps every window it plans', (ms) => {
    const plan = planRoute(day, { seed: 1, timeLimitMs: ms });
    expectValidDay(day, plan, false);
    expect(plan.order.length).toBeGreaterThan(0);
  });

  it('says the budget ended the work at such sizes', () => {
    expect(planRoute(tour, { seed: 1, timeLimitMs: 1 }).search.deadlineReached).toBe(true);
    expect(planRoute(day, { seed: 1, timeLimitMs: 1 }).search.deadlineReached).toBe(true);
  });
});
