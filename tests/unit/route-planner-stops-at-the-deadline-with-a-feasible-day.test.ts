import { describe, expect, it } from 'vitest';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { seededRandom } from '../../shared/route/random';
import { planRoute, type RoutePlan } from '../../shared/route/route-planner';
import { windowedDay } from '../fixtures/route/windowed-day';

/**
 * The time limit covers everything the planner does, from the moment planRoute is called:
 * wherever the deadline falls — reading the matrix, neighbour lists, construction, local
 * search, the kicks — the planner stops there and returns a feasible day, says the deadline
 * ended it, and is otherwise as deterministic as without a deadline.
 *
 * No wall time is measured here (that is the bench's job, tests/bench/route-planner.bench.ts).
 * The clock is a counter that moves one "millisecond" each time it is read, so a limit of L
 * falls on the planner's L-th look at the clock: sweeping L walks the deadline through every
 * phase, the same way on every machine.
 */
function countingClock(): () => number {
  let reads = 0;
  return () => reads++;
}

function planWithReads(request: RoutePlanRequest, reads: number, seed = 1): RoutePlan {
  return planRoute(request, { seed, timeLimitMs: reads, maxIterations: 1_000_000_000, clock: countingClock() });
}

/** Uniform random points, rounded Euclidean costs: the tour engine's kind of day. */
function randomTour(stops: number): RoutePlanRequest {
  const random = seededRandom(stops);
  const points = Array.from({ length: stops + 1 }, () => ({ x: random() * 10_000, y: random() * 10_000 }));
  return RoutePlanRequest.parse({
    matrix: { costs: points.map((a) => points.map((b) => Math.round(Math.hypot(a.x - b.x, a.y - b.y)))) },
    metric: 'cost',
    startNode: 0,
    returnToStart: true,
    stops: points.slice(1).map((_, i) => ({ id: `s${i + 1}`, node: i + 1 })),
  });
}

// Ten plans of 1,200 stops take ~2 s alone and several times that beside other work on 2 cores.
const slowPlans = 30_000;

// From "before the matrix is read" to "well into the kicks" on these sizes.
const deadlines = [1, 2, 30, 1_300, 1_500, 2_500, 3_000, 6_000, 20_000, 60_000];

describe('the planner at its deadline', () => {
  const tour = randomTour(1_200);

  it.each(deadlines)('a 1,200-stop tour cut at clock read %i is still a tour of every stop', (reads) => {
    const plan = planWithReads(tour, reads);
    expect(plan.search.deadlineReached).toBe(true);
    expect(plan.unplaced).toEqual([]);
    expect(new Set(plan.order).size).toBe(1_200);
    expect(plan.schedule.broken).toEqual([]);
  });

  it('cuts the preparation too: early deadlines leave no search, later ones search, and a longer one never plans worse', () => {
    const plans = deadlines.map((reads) => planWithReads(tour, reads));
    expect(plans[0]?.search.iterations).toBe(0);
    expect(plans.at(-1)?.search.iterations).toBeGreaterThan(0);
    const given = plans[0]?.cost ?? 0;
    expect(plans.at(-1)?.cost).toBeLessThan(given * 0.8);
    for (let i = 1; i < plans.length; i++) {
      const [shorter, longer] = [plans[i - 1], plans[i]] as [RoutePlan, RoutePlan];
      if (longer.search.engine === shorter.search.engine) expect(longer.cost).toBeLessThanOrEqual(shorter.cost + 1e-6);
    }
  }, slowPlans);

  const day = windowedDay(400);

  it.each(deadlines)('a 400-stop day with windows cut at clock read %i keeps every window and accounts for every stop', (reads) => {
    const plan = planWithReads(day, reads);
    expect(plan.search.deadlineReached).toBe(true);
    expect(plan.schedule.broken).toEqual([]);
    const accounted = [...plan.order, ...plan.unplaced.map((u) => u.stopId)].sort();
    expect(accounted).toEqual(day.stops.map((s) => s.id).sort());
    for (const u of plan.unplaced) expect(u.reason.length).toBeGreaterThan(10);
  });

  it('says the time ran out, not that there was no room, for stops it never got to try', () => {
    const early = planWithReads(day, 2);
    expect(early.search.iterations).toBe(0);
    expect(early.unplaced.some((u) => u.code === 'time-limit')).toBe(true);
    expect(early.unplaced.find((u) => u.code === 'time-limit')?.reason).toMatch(/ran out of time/);
    const late = planWithReads(day, 60_000);
    expect(late.unplaced.some((u) => u.code === 'time-limit')).toBe(false);
  });

  it('cuts at the same place for the same seed and clock: the deadline is the only thing the clock decides', () => {
    for (const reads of [2_500, 20_000]) {
      expect(planWithReads(tour, reads, 5).order).toEqual(planWithReads(tour, reads, 5).order);
      expect(planWithReads(day, reads, 5).order).toEqual(planWithReads(day, reads, 5).order);
    }
  }, slowPlans);

  it('does not claim the deadline when the search settled first', () => {
    const small = randomTour(30);
    const plan = planRoute(small, { seed: 1, timeLimitMs: 1e12, maxIterations: 500, clock: countingClock() });
    expect(plan.search.iterations).toBe(500);
    expect(plan.search.deadlineReached).toBe(false);
    expect(planRoute(small, { seed: 1, timeLimitMs: Infinity, maxIterations: 500 }).search.deadlineReached).toBe(false);
  });
});
