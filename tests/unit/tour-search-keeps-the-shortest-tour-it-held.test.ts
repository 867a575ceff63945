import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/route/random';
import { Deadline, resolveBudget } from '../../shared/route/search-budget';
import type { TourCosts } from '../../shared/route/tour-costs';
import { improveTour, nearestNeighbourLists, tourCost } from '../../shared/route/tour-search';

/** Seeded points in a square, rounded Euclidean costs (TSPLIB's EUC_2D) in one flat table. */
function squareCosts(m: number, seed: number): TourCosts {
  const random = seededRandom(seed);
  const points = Array.from({ length: m }, () => ({ x: random() * 1000, y: random() * 1000 }));
  const flat = Float64Array.from(points.flatMap((a) => points.map((b) => Math.round(Math.hypot(a.x - b.x, a.y - b.y)))));
  return { m, flat, dist: (a, b) => flat[a * m + b] as number };
}

/**
 * The tour search takes longer tours now and then (its temperature falls to zero only as the
 * budget runs out), so the tour it is on when it stops need not be the best it found.
 */
describe('tour search', () => {
  const never = () => new Deadline(() => 0, Infinity);

  /** A clock that stands still for `reads` readings and then jumps past any deadline. */
  const stoppingAfter = (reads: number) => {
    let count = 0;
    return () => (++count <= reads ? 0 : 1e9);
  };

  it.each([1, 2, 3])('keeps the shortest tour it held while it walks on longer ones (seed %i)', (seed) => {
    const m = 150;
    const costs = squareCosts(m, seed);
    const neighbours = nearestNeighbourLists(costs, 10, never()) as Int32Array;
    const initial = Int32Array.from({ length: m }, (_, i) => i);
    // While the clock stands still the temperature stays where it starts, so every run below
    // walks the same way and the later ones only walk further: none may end on a longer tour.
    const costsByLength = [5_000, 10_000, 20_000, 30_000, 40_000, 60_000].map((reads) => {
      const clock = stoppingAfter(reads);
      const result = improveTour(costs, initial, neighbours, 10, resolveBudget({ seed, timeLimitMs: 1000, clock }), new Deadline(clock, 1000));
      expect(new Set(result.tour).size).toBe(m);
      expect(result.cost).toBe(tourCost(costs.flat as Float64Array, m, result.tour));
      return result.cost;
    });
    for (let i = 1; i < costsByLength.length; i++) expect(costsByLength[i]).toBeLessThanOrEqual(costsByLength[i - 1] as number);
  });

  it('gives the same tour for the same seed and iteration cap', () => {
    const m = 120;
    const costs = squareCosts(m, 9);
    const neighbours = nearestNeighbourLists(costs, 10, never()) as Int32Array;
    const initial = Int32Array.from({ length: m }, (_, i) => i);
    const run = () => improveTour(costs, initial, neighbours, 10, resolveBudget({ seed: 4, maxIterations: 3000, timeLimitMs: Infinity }), never());
    expect(Array.from(run().tour)).toEqual(Array.from(run().tour));
  });
});
