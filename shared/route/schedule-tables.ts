import { copyLimitBytes, squareTable, type CompiledProblem, type SquareTable } from './compiled-problem';
import type { Deadline } from './search-budget';

/** What the schedule search reads in its inner loops. */
export interface ScheduleTables {
  /** The request's metric and travel times (no time at all without durations). */
  readonly metric: SquareTable;
  readonly travelS: SquareTable;
  /** Each stop's `neighbourCount` closest stops (both ways round), closest first. */
  readonly neighbours: Int32Array;
  readonly neighbourCount: number;
}

const neighbourCount = 12;

/**
 * Builds the tables under the deadline, a row or a stop at a time: on 5,000 stops each is
 * a hundred milliseconds or more, which a tight budget may not have. Null when the deadline passed
 * first; the planner then falls back to a first-fit order (see first-fit-order.ts).
 */
export function scheduleTables(problem: CompiledProblem, deadline: Deadline): ScheduleTables | null {
  const copies = problem.travelRows === null ? 1 : 2;
  const copy = copies * problem.size * problem.size * 8 <= copyLimitBytes;
  const metric = squareTable(problem.metricRows, problem.size, copy, deadline);
  if (metric === null) return null;
  const travelS = squareTable(problem.travelRows, problem.size, copy, deadline);
  if (travelS === null) return null;
  const k = problem.stopCount;
  const nk = Math.min(neighbourCount, Math.max(0, k - 1));
  const neighbours = closestStops(problem, metric, nk, deadline);
  if (neighbours === null) return null;
  return { metric, travelS, neighbours, neighbourCount: nk };
}

/**
 * Closeness is the metric both ways, so one-way streets count. A sorted top-`nk` is kept per
 * stop (ties to the lower index), O(k²) in all rather than a sort per stop. The pairs are
 * visited in tiles so that the way back, a column of the matrix, is read from cache.
 */
function closestStops(problem: CompiledProblem, metric: SquareTable, nk: number, deadline: Deadline): Int32Array | null {
  const k = problem.stopCount;
  const node = problem.node;
  const lists = new Int32Array(k * nk);
  if (nk === 0) return lists;
  const closest = new Float64Array(k * nk);
  const filled = new Int32Array(k);
  const tile = 64;
  for (let ta = 0; ta < k; ta += tile) {
    const aEnd = Math.min(k, ta + tile);
    for (let tb = 0; tb < k; tb += tile) {
      if (deadline.passed()) return null;
      const bEnd = Math.min(k, tb + tile);
      for (let a = ta; a < aEnd; a++) {
        const from = node[a] as number;
        const list = a * nk;
        for (let b = tb; b < bEnd; b++) {
          if (b === a) continue;
          const to = node[b] as number;
          const closeness = metric.at(from, to) + metric.at(to, from);
          const count = filled[a] as number;
          if (count === nk && closeness >= (closest[list + nk - 1] as number)) continue;
          let p = count < nk ? count : nk - 1;
          if (count < nk) filled[a] = count + 1;
          while (p > 0 && (closest[list + p - 1] as number) > closeness) {
            closest[list + p] = closest[list + p - 1] as number;
            lists[list + p] = lists[list + p - 1] as number;
            p--;
          }
          closest[list + p] = closeness;
          lists[list + p] = b;
        }
      }
    }
  }
  return lists;
}
