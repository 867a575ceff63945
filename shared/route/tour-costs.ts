import { copyLimitBytes, type CompiledProblem } from './compiled-problem';
import type { Deadline } from './search-budget';

/**
 * What the tour search pays between its nodes 0..m-1. Node i below `real` is the matrix node
 * places[i]: the start (0), each stop (1..k), and a fixed end (k+1) when there is one. A day
 * that does not return to its start gets one more, the closing node, free to reach from the
 * start and the end and dear from anywhere else, so every good tour runs start → … → end →
 * closing → start and reads as the day's path. A fixed end and the start are linked only
 * through the closing node.
 */
export interface TourCosts {
  readonly m: number;
  dist(a: number, b: number): number;
  /** The costs as one row-major m×m table, when they were copied (see tourCosts). */
  readonly flat: Float64Array | null;
}

/** Reads the request's rows on every call: nothing the size of the matrix is allocated. */
class RowTourCosts implements TourCosts {
  readonly flat = null;

  constructor(
    readonly m: number,
    private readonly rows: readonly (readonly number[])[],
    private readonly places: Int32Array,
    private readonly fixedEnd: boolean,
    private readonly dear: number,
  ) {}

  dist(a: number, b: number): number {
    const real = this.places.length;
    if (a < real && b < real) {
      if (this.fixedEnd && (a === 0 || b === 0) && a + b === real - 1) return this.dear;
      return (this.rows[this.places[a] as number] as readonly number[])[this.places[b] as number] as number;
    }
    if (a === b) return 0;
    const other = a < real ? a : b;
    return other === 0 || (this.fixedEnd && other === real - 1) ? 0 : this.dear;
  }
}

/** The same costs copied into one flat table, for the search loops, when the copy is small. */
class FlatTourCosts implements TourCosts {
  constructor(
    readonly m: number,
    readonly flat: Float64Array,
  ) {}

  dist(a: number, b: number): number {
    return this.flat[a * this.m + b] as number;
  }
}

/**
 * The tour's costs for a day with no time rules. Copied flat (a row between deadline checks)
 * up to `copyLimitBytes`; past that the rows are read in place, because allocating hundreds
 * of megabytes makes V8 collect the caller's whole heap, and a 5,000-stop request of boxed
 * numbers takes most of a second to collect. Null when the deadline cut the copy short.
 */
export function tourCosts(problem: CompiledProblem, deadline: Deadline): TourCosts | null {
  const closed = problem.endNode === problem.startNode;
  const fixedEnd = !closed && problem.endNode >= 0;
  const places = Int32Array.from([problem.startNode, ...problem.node, ...(fixedEnd ? [problem.endNode] : [])]);
  const m = closed ? places.length : places.length + 1;
  // More than the whole day in the order given, so a tour through a dear link is never the shorter.
  let given = 0;
  for (let i = 0; i < places.length; i++) {
    given += (problem.metricRows[places[i] as number] as readonly number[])[places[(i + 1) % places.length] as number] as number;
  }
  const rows = new RowTourCosts(m, problem.metricRows, places, fixedEnd, 1 + given);
  if (m * m * 8 > copyLimitBytes) return rows;
  const flat = new Float64Array(m * m);
  const real = places.length;
  for (let a = 0; a < real; a++) {
    if (deadline.passed()) return null;
    const row = problem.metricRows[places[a] as number] as readonly number[];
    for (let b = 0; b < real; b++) flat[a * m + b] = row[places[b] as number] as number;
  }
  // The links the rows do not hold: to and from the closing node, and start ↔ fixed end.
  for (let a = 0; a < m; a++) {
    for (let b = real; b < m; b++) {
      flat[a * m + b] = rows.dist(a, b);
      flat[b * m + a] = rows.dist(b, a);
    }
  }
  if (fixedEnd) {
    flat[real - 1] = rows.dist(0, real - 1);
    flat[(real - 1) * m] = rows.dist(real - 1, 0);
  }
  return new FlatTourCosts(m, flat);
}
