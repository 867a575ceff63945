import { z } from 'zod';

/**
 * What the planner is asked. Places are matrix node indices; times are seconds since local
 * midnight of the planned day (the caller converts dates and time zones, so the planner never
 * has to).
 */
const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const nonNegative = finite.refine((v) => v >= 0, { message: 'expected zero or more' });
const squareRows = z.array(z.array(nonNegative));

export const RouteMatrix = z.object({
  durationsS: squareRows.optional(),
  distancesM: squareRows.optional(),
  /** A generic cost, for inputs that are neither time nor distance (TSPLIB). */
  costs: squareRows.optional(),
});
export type RouteMatrix = z.infer<typeof RouteMatrix>;

/** Which figure the plan minimises and reports as its cost. */
export const RouteMetric = z.enum(['duration', 'distance', 'cost']);
export type RouteMetric = z.infer<typeof RouteMetric>;

export const TimeWindow = z
  .object({ earliestS: finite, latestS: finite })
  .refine((w) => w.earliestS <= w.latestS, { message: 'the window must not close before it opens' });
export type TimeWindow = z.infer<typeof TimeWindow>;

export const SoftDue = z.object({
  /** Arriving after this is allowed but costs `penaltyPerHour` (in the plan's metric) per hour. */
  byS: finite,
  penaltyPerHour: nonNegative,
});
export type SoftDue = z.infer<typeof SoftDue>;

export const RouteStop = z.object({
  id: z.string().min(1),
  node: z.number().int().nonnegative(),
  serviceS: nonNegative.default(0),
  /** Hard appointment window on the arrival time; arriving early means waiting. */
  window: TimeWindow.nullable().default(null),
  due: SoftDue.nullable().default(null),
  /** When not every stop fits, low-priority stops are left out first. */
  priority: finite.refine((v) => v > 0, { message: 'expected a priority above zero' }).default(1),
  /** Pinned as the n-th stop of the day (0 = first), whatever the optimiser prefers. */
  lockedPosition: z.number().int().nonnegative().nullable().default(null),
});
export type RouteStop = z.infer<typeof RouteStop>;

export const RoutePlanRequest = z
  .object({
    matrix: RouteMatrix,
    metric: RouteMetric,
    startNode: z.number().int().nonnegative(),
    /** Where the day ends when it is not back at the start; null = wherever the last stop is. */
    endNode: z.number().int().nonnegative().nullable().default(null),
    returnToStart: z.boolean().default(false),
    day: z
      .object({ startS: finite.default(0), endS: finite.nullable().default(null) })
      .default({ startS: 0, endS: null }),
    stops: z.array(RouteStop),
  })
  .superRefine((request, ctx) => {
    const { matrix } = request;
    const present = (['durationsS', 'distancesM', 'costs'] as const).filter((key) => matrix[key] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['matrix'], message: 'the matrix needs durationsS, distancesM or costs' });
      return;
    }
    const size = matrix[present[0] as (typeof present)[number]]?.length ?? 0;
    for (const key of present) {
      const rows = matrix[key] ?? [];
      if (rows.length !== size || rows.some((row) => row.length !== size)) {
        ctx.addIssue({ code: 'custom', path: ['matrix', key], message: `must be a ${size}×${size} square table` });
      }
    }
    const metricKey = metricMatrixKey(request.metric);
    if (matrix[metricKey] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['matrix', metricKey], message: `the ${request.metric} metric needs ${metricKey}` });
    }
    const nodeInRange = (node: number, path: (string | number)[]) => {
      if (node >= size) ctx.addIssue({ code: 'custom', path, message: `node ${node} is outside the ${size}-node matrix` });
    };
    nodeInRange(request.startNode, ['startNode']);
    if (request.endNode !== null) nodeInRange(request.endNode, ['endNode']);
    if (request.endNode !== null && request.returnToStart) {
      ctx.addIssue({ code: 'custom', path: ['endNode'], message: 'give either an end node or return to start, not both' });
    }
    const ids = new Set<string>();
    request.stops.forEach((stop, i) => {
      nodeInRange(stop.node, ['stops', i, 'node']);
      if (ids.has(stop.id)) ctx.addIssue({ code: 'custom', path: ['stops', i, 'id'], message: `stop id ${stop.id} appears twice` });
      ids.add(stop.id);
      if (stop.lockedPosition !== null && stop.lockedPosition >= request.stops.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['stops', i, 'lockedPosition'],
          message: `position ${stop.lockedPosition} is past the last of ${request.stops.length} stops`,
        });
      }
    });
    const locked = request.stops.filter((s) => s.lockedPosition !== null).map((s) => s.lockedPosition);
    if (new Set(locked).size !== locked.length) {
      ctx.addIssue({ code: 'custom', path: ['stops'], message: 'two stops are locked at the same position' });
    }
    const usesTime =
      request.day.endS !== null || request.stops.some((s) => s.window !== null || s.due !== null);
    if (usesTime && matrix.durationsS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['matrix', 'durationsS'],
        message: 'appointment windows, due times and the end of the day need travel times (durationsS)',
      });
    }
  });
export type RoutePlanRequest = z.infer<typeof RoutePlanRequest>;
export type RoutePlanRequestInput = z.input<typeof RoutePlanRequest>;

export function metricMatrixKey(metric: RouteMetric): 'durationsS' | 'distancesM' | 'costs' {
  return metric === 'duration' ? 'durationsS' : metric === 'distance' ? 'distancesM' : 'costs';
}

export type ParsedRequest =
  | { readonly ok: true; readonly request: RoutePlanRequest }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Validates a request and says what is wrong in words, one line per problem. */
export function parseRoutePlanRequest(input: unknown): ParsedRequest {
  const parsed = RoutePlanRequest.safeParse(input);
  if (parsed.success) return { ok: true, request: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
    ),
  };
}
