import { metricMatrixKey, type RoutePlanRequest } from './plan-request';
import type { Deadline } from './search-budget';

/**
 * The request's stops flattened into typed arrays for the search loops. Stops are referred
 * to by their index in `request.stops`; places by matrix node.
 *
 * The matrices stay the request's rows: copying 5,000² figures into a flat table takes longer
 * than a tight budget (and see copyLimitBytes), so each engine copies what it may, a row at a
 * time under the deadline, and the schedule of the final order reads the rows directly.
 */
export interface CompiledProblem {
  readonly request: RoutePlanRequest;
  readonly size: number;
  readonly metricRows: readonly (readonly number[])[];
  /** Null when the request has no durations: every leg then takes no time. */
  readonly travelRows: readonly (readonly number[])[] | null;
  readonly startNode: number;
  /** -1 when the day ends wherever the last stop is. */
  readonly endNode: number;
  readonly stopCount: number;
  readonly node: Int32Array;
  readonly serviceS: Float64Array;
  readonly earliestS: Float64Array;
  readonly latestS: Float64Array;
  readonly dueByS: Float64Array;
  readonly latePenaltyPerS: Float64Array;
  readonly priority: Float64Array;
  /** -1 when the stop is free to move. */
  readonly lockedPosition: Int32Array;
  readonly dayStartS: number;
  readonly dayEndS: number;
  readonly hasTimeRules: boolean;
  readonly hasLocks: boolean;
}

export function compileProblem(request: RoutePlanRequest): CompiledProblem {
  const metricRows = request.matrix[metricMatrixKey(request.metric)] ?? [];
  const stops = request.stops;
  const k = stops.length;
  const node = new Int32Array(k);
  const serviceS = new Float64Array(k);
  const earliestS = new Float64Array(k).fill(-Infinity);
  const latestS = new Float64Array(k).fill(Infinity);
  const dueByS = new Float64Array(k).fill(Infinity);
  const latePenaltyPerS = new Float64Array(k);
  const priority = new Float64Array(k);
  const lockedPosition = new Int32Array(k).fill(-1);
  stops.forEach((stop, i) => {
    node[i] = stop.node;
    serviceS[i] = stop.serviceS;
    if (stop.window !== null) {
      earliestS[i] = stop.window.earliestS;
      latestS[i] = stop.window.latestS;
    }
    if (stop.due !== null) {
      dueByS[i] = stop.due.byS;
      latePenaltyPerS[i] = stop.due.penaltyPerHour / 3600;
    }
    priority[i] = stop.priority;
    if (stop.lockedPosition !== null) lockedPosition[i] = stop.lockedPosition;
  });
  const hasLocks = stops.some((s) => s.lockedPosition !== null);
  const hasTimeRules =
    request.day.endS !== null || stops.some((s) => s.window !== null || (s.due !== null && s.due.penaltyPerHour > 0));
  return {
    request,
    size: metricRows.length,
    metricRows,
    travelRows: request.matrix.durationsS ?? null,
    startNode: request.startNode,
    endNode: request.returnToStart ? request.startNode : (request.endNode ?? -1),
    stopCount: k,
    node,
    serviceS,
    earliestS,
    latestS,
    dueByS,
    latePenaltyPerS,
    priority,
    lockedPosition,
    dayStartS: request.day.startS,
    dayEndS: request.day.endS ?? Infinity,
    hasTimeRules,
    hasLocks,
  };
}

export function metricBetween(problem: CompiledProblem, from: number, to: number): number {
  return problem.metricRows[from]?.[to] ?? 0;
}

export function travelBetween(problem: CompiledProblem, from: number, to: number): number {
  return problem.travelRows?.[from]?.[to] ?? 0;
}

/**
 * How much an engine may copy into flat tables for its search loops. Past this, V8 counts the
 * allocation toward a full collection of the caller's heap, and a 5,000-stop request holds
 * 25 million boxed numbers per matrix, most of a second to collect: the engines then read the
 * request's rows in place instead (slower per step, but nothing to collect).
 */
export const copyLimitBytes = 32 * 1024 * 1024;

/** A size×size matrix the search loops read. */
export interface SquareTable {
  at(from: number, to: number): number;
}

class FlatSquare implements SquareTable {
  constructor(
    private readonly flat: Float64Array,
    private readonly size: number,
  ) {}

  at(from: number, to: number): number {
    return this.flat[from * this.size + to] as number;
  }
}

class RowSquare implements SquareTable {
  constructor(private readonly rows: readonly (readonly number[])[]) {}

  at(from: number, to: number): number {
    return (this.rows[from] as readonly number[])[to] as number;
  }
}

/** Travel for a request with no durations: every leg takes no time. */
const noTravel: SquareTable = { at: () => 0 };

/**
 * The rows as a table: a flat copy when `copy` (a row between deadline checks; null when the
 * deadline cut it short), the rows themselves otherwise.
 */
export function squareTable(
  rows: readonly (readonly number[])[] | null,
  size: number,
  copy: boolean,
  deadline: Deadline,
): SquareTable | null {
  if (rows === null) return noTravel;
  if (!copy) return new RowSquare(rows);
  const flat = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    if (deadline.passed()) return null;
    const row = rows[i] as readonly number[];
    const offset = i * size;
    // A plain loop: TypedArray.set from an ordinary array takes a slow generic path.
    for (let j = 0; j < size; j++) flat[offset + j] = row[j] as number;
  }
  return new FlatSquare(flat, size);
}

/**
 * Whether the rows read the same both ways; null when the deadline passed first. Compared in
 * tiles so that the column side of each comparison stays in cache.
 */
export function isSymmetric(rows: readonly (readonly number[])[], deadline: Deadline): boolean | null {
  const size = rows.length;
  const tile = 64;
  for (let ti = 0; ti < size; ti += tile) {
    const iEnd = Math.min(size, ti + tile);
    for (let tj = ti; tj < size; tj += tile) {
      if (deadline.passed()) return null;
      const jEnd = Math.min(size, tj + tile);
      for (let j = tj; j < jEnd; j++) {
        const column = rows[j] as readonly number[];
        for (let i = ti; i < Math.min(iEnd, j); i++) {
          const there = (rows[i] as readonly number[])[j] as number;
          const back = column[i] as number;
          if (there !== back && Math.abs(there - back) > 1e-9) return false;
        }
      }
    }
  }
  return true;
}
