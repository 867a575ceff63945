import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { planRoute } from '../../shared/route/route-planner';
import { euc2dMatrix, parseTsplib } from '../../shared/route/tsplib';

/**
 * Quality, not speed: an iteration cap and no time limit, so the result is the same on every
 * machine. Timing lives in tests/bench/route-planner.bench.ts.
 */
describe('planner on TSPLIB instances (proven optima stated in the files)', () => {
  const gaps: number[] = [];
  it.each(['berlin52', 'kroA100', 'ch150'])('%s is solved within 1%% of the optimum', (name) => {
    const instance = parseTsplib(readFileSync(join(__dirname, '../fixtures/tsplib', `${name}.tsp`), 'utf8'));
    const matrix = euc2dMatrix(instance);
    const request = RoutePlanRequest.parse({
      matrix: { costs: matrix },
      metric: 'cost',
      startNode: 0,
      returnToStart: true,
      stops: matrix.slice(1).map((_, i) => ({ id: String(i + 1), node: i + 1 })),
    });
    const plan = planRoute(request, { seed: 7, maxIterations: 4000, timeLimitMs: Infinity });
    const optimum = instance.optimum as number;
    const gap = (plan.cost - optimum) / optimum;
    gaps.push(gap);
    expect(plan.cost).toBeGreaterThanOrEqual(optimum);
    expect(gap).toBeLessThanOrEqual(0.01);
    expect(new Set(plan.order).size).toBe(instance.dimension - 1);
  });

  it('has a mean gap of at most 1%', () => {
    expect(gaps).toHaveLength(3);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThanOrEqual(0.01);
  });
});
