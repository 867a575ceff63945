import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { planRoute } from '../../shared/route/route-planner';

const budget = { maxIterations: 60, timeLimitMs: Infinity };

const instance = fc
  .record({
    size: fc.integer({ min: 2, max: 12 }),
    symmetric: fc.boolean(),
    ending: fc.constantFrom('return', 'open', 'fixed'),
    seed: fc.integer({ min: 0, max: 1000 }),
    cells: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 144, maxLength: 144 }),
    startPick: fc.nat(),
  })
  .map(({ size, symmetric, ending, seed, cells, startPick }) => {
    const matrix = Array.from({ length: size }, (_, i) =>
      Array.from({ length: size }, (_, j) => {
        if (i === j) return 0;
        const [a, b] = symmetric ? [Math.min(i, j), Math.max(i, j)] : [i, j];
        return cells[a * 12 + b] as number;
      }),
    );
    const start = startPick % size;
    const end = ending === 'fixed' && size > 2 ? (start + 1) % size : null;
    const stopNodes = matrix.map((_, i) => i).filter((i) => i !== start && i !== end);
    return { matrix, start, end, returnToStart: ending === 'return', seed, stopNodes };
  });

function build(i: { matrix: number[][]; start: number; end: number | null; returnToStart: boolean; stopNodes: number[] }) {
  return RoutePlanRequest.parse({
    matrix: { costs: i.matrix },
    metric: 'cost',
    startNode: i.start,
    endNode: i.end,
    returnToStart: i.returnToStart,
    stops: i.stopNodes.map((node) => ({ id: `n${node}`, node })),
  });
}

/** Cost of visiting nodes in this order, recomputed here from the matrix alone. */
function pathCost(i: { matrix: number[][]; start: number; end: number | null; returnToStart: boolean }, nodes: number[]): number {
  const legs = [i.start, ...nodes, ...(i.returnToStart ? [i.start] : i.end !== null ? [i.end] : [])];
  let total = 0;
  for (let k = 1; k < legs.length; k++) total += i.matrix[legs[k - 1] as number]?.[legs[k] as number] ?? NaN;
  return total;
}

function nearestNeighbour(i: { matrix: number[][]; start: number; stopNodes: number[] }): number[] {
  const left = [...i.stopNodes];
  const order: number[] = [];
  let at = i.start;
  while (left.length > 0) {
    let best = 0;
    left.forEach((node, k) => {
      if ((i.matrix[at]?.[node] ?? 0) < (i.matrix[at]?.[left[best] as number] ?? 0)) best = k;
    });
    at = left.splice(best, 1)[0] as number;
    order.push(at);
  }
  return order;
}

describe('planner properties', () => {
  it('returns a permutation of the stops, reports the cost the matrix gives, never loses to nearest neighbour, and repeats itself for a seed', () => {
    fc.assert(
      fc.property(instance, (i) => {
        const request = build(i);
        const plan = planRoute(request, { ...budget, seed: i.seed });
        const nodes = plan.order.map((id) => Number(id.slice(1)));
        expect([...nodes].sort((a, b) => a - b)).toEqual(i.stopNodes);
        expect(plan.unplaced).toEqual([]);
        expect(plan.cost).toBeCloseTo(pathCost(i, nodes), 6);
        expect(plan.cost).toBeLessThanOrEqual(pathCost(i, nearestNeighbour(i)) + 1e-6);
        const again = planRoute(request, { ...budget, seed: i.seed });
        expect(again.order).toEqual(plan.order);
      }),
      { numRuns: 60, seed: 20240601 },
    );
  });

  it('with windows, every planned arrival keeps its window and every stop is either planned or explained', () => {
    const withWindows = fc.record({
      n: fc.integer({ min: 1, max: 9 }),
      travel: fc.array(fc.integer({ min: 60, max: 3600 }), { minLength: 100, maxLength: 100 }),
      windows: fc.array(
        fc.option(fc.record({ opens: fc.integer({ min: 8 * 3600, max: 16 * 3600 }), width: fc.integer({ min: 0, max: 3 * 3600 }) })),
        { minLength: 10, maxLength: 10 },
      ),
      service: fc.integer({ min: 0, max: 3600 }),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(withWindows, ({ n, travel, windows, service, seed }) => {
        const size = n + 1;
        const durations = Array.from({ length: size }, (_, a) =>
          Array.from({ length: size }, (_, b) => (a === b ? 0 : (travel[a * 10 + b] as number))),
        );
        const request = RoutePlanRequest.parse({
          matrix: { durationsS: durations },
          metric: 'duration',
          startNode: 0,
          returnToStart: true,
          day: { startS: 8 * 3600, endS: 17 * 3600 },
          stops: Array.from({ length: n }, (_, s) => {
            const w = windows[s];
            return {
              id: `s${s}`,
              node: s + 1,
              serviceS: service,
              window: w ? { earliestS: w.opens, latestS: w.opens + w.width } : null,
            };
          }),
        });
        const plan = planRoute(request, { maxIterations: 40, timeLimitMs: Infinity, seed });
        expect(plan.schedule.broken).toEqual([]);
        for (const visit of plan.schedule.visits) {
          const stop = request.stops.find((s) => s.id === visit.stopId);
          if (stop?.window) {
            expect(visit.arrivalS).toBeLessThanOrEqual(stop.window.latestS + 1e-6);
            expect(visit.serviceStartS).toBeGreaterThanOrEqual(stop.window.earliestS);
          }
        }
        expect(plan.schedule.totals.finishS).toBeLessThanOrEqual(17 * 3600 + 1e-6);
        const accounted = [...plan.order, ...plan.unplaced.map((u) => u.stopId)].sort();
        expect(accounted).toEqual(request.stops.map((s) => s.id).sort());
        for (const u of plan.unplaced) expect(u.reason.length).toBeGreaterThan(10);
      }),
      { numRuns: 60, seed: 20240602 },
    );
  });
});
