import { metricMatrixKey, type RoutePlanRequest } from './plan-request';

/**
 * The request flattened into typed arrays for the search loops. Stops are referred to by
 * their index in `request.stops`; places by matrix node.
 */
export interface CompiledProblem {
  readonly request: RoutePlanRequest;
  readonly size: number;
  /** Row-major size×size tables. Travel time is all zeros when the request has no durations. */
  readonly metric: Float64Array;
  readonly travelS: Float64Array;
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

function flatten(rows: readonly (readonly number[])[], size: number): Float64Array {
  const flat = new Float64Array(size * size);
  rows.forEach((row, i) => flat.set(row, i * size));
  return flat;
}

export function compileProblem(request: RoutePlanRequest): CompiledProblem {
  const metricRows = request.matrix[metricMatrixKey(request.metric)] ?? [];
  const size = metricRows.length;
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
    size,
    metric: flatten(metricRows, size),
    travelS: request.matrix.durationsS ? flatten(request.matrix.durationsS, size) : new Float64Array(size * size),
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

export function isSymmetric(flat: Float64Array, size: number): boolean {
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      if (Math.abs((flat[i * size + j] as number) - (flat[j * size + i] as number)) > 1e-9) return false;
    }
  }
  return true;
}
