/**
 * Plans a route from a file and prints it as JSON; `--help` prints the input formats (the
 * usage text below, which the README's plan-route section repeats).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { fetchTravelMatrix } from '../shared/route/osrm-table';
import { parseRoutePlanRequest, type RoutePlanRequestInput } from '../shared/route/plan-request';
import { planRoute, type RoutePlan } from '../shared/route/route-planner';
import { offlineTravelMatrix, type TravelMatrix } from '../shared/route/travel-matrix';
import { euc2dMatrix, parseTsplib, TsplibParseError } from '../shared/route/tsplib';

class InputError extends Error {}

const usage = `usage: plan-route <file.tsp|file.json> [--seed N] [--time-limit-ms N] [--iterations N]

Plans a day and prints it as JSON. The time limit (default 1500 ms) covers everything the
planner does, reading the matrix included. --iterations caps the search as well; with a time
limit long enough never to be reached, the plan is then the same on any machine.

The file is one of:

  A TSPLIB .tsp file (EUC_2D). Prints the tour, its cost and the gap to the optimum it states.

  A cost matrix, every node a stop:
    {"matrix": [[0, 5, 9], [5, 0, 4], [9, 4, 0]], "start": 0, "end": null, "returnToStart": true}

  Stops with coordinates; travel is estimated from them (or asked of an OSRM server):
    {"stops": [{"id": "acme", "lat": 52.52, "lon": 13.40, "serviceMinutes": 15,
                "window": {"start": "09:00", "end": "10:30"}}],
     "start": {"lat": 52.5, "lon": 13.4}, "returnToStart": false,
     "day": {"start": "08:00", "end": "17:00"}, "metric": "duration",
     "detourFactor": 1.3, "averageSpeedKmh": 40, "osrmUrl": "http://localhost:5000"}

  Stops on a travel-time matrix you already have (road times from your own router):
    {"matrix": {"durationsS": [[...]], "distancesM": [[...]]},
     "start": 0, "end": null, "returnToStart": true,
     "day": {"start": "08:00", "end": "17:00"}, "metric": "duration",
     "stops": [{"id": "acme", "node": 1, "serviceMinutes": 15,
                "window": {"start": "09:00", "end": "10:30"}}]}
    durationsS is seconds from row to column (need not be symmetric), distancesM optional
    metres; "node" is the stop's row in the matrix, "start" and "end" the depot's. "metric"
    "distance" needs distancesM.

Times are "HH:MM" (or an ISO date-time, read as its own clock time). A window is when the
agent may arrive; arriving early means waiting, and a stop whose window cannot be kept is
left out and listed under "unplaced" with the reason. Only "serviceMinutes" and "window" are
optional on a stop; the day's end defaults to none.

Output for stops: "order" (stop ids in visiting order), "cost" in the metric's unit,
"visits" (arrivalS, waitS, serviceStartS, departureS in seconds since midnight), "broken"
(rules the order breaks; empty for a planned day), "unplaced", "totals" and "search".`;

const clockText = z
  .string()
  .regex(/^(\d{2}):(\d{2})(:\d{2})?$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/, {
    message: 'expected a time as HH:MM or an ISO date-time',
  });

const MatrixFile = z.object({
  matrix: z.array(z.array(z.number().nonnegative())),
  start: z.number().int().nonnegative().default(0),
  end: z.number().int().nonnegative().nullable().default(null),
  returnToStart: z.boolean().default(true),
});

const clockWindow = z.object({ start: clockText, end: clockText });
const dayHours = z.object({ start: clockText, end: clockText.optional() });

const StopsFile = z.object({
  stops: z
    .array(
      z.object({
        id: z.string().min(1),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        serviceMinutes: z.number().nonnegative().default(0),
        window: clockWindow.optional(),
      }),
    )
    .min(1, 'there must be at least one stop'),
  start: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  returnToStart: z.boolean().default(false),
  day: dayHours.optional(),
  metric: z.enum(['duration', 'distance']).default('duration'),
  detourFactor: z.number().min(1).optional(),
  averageSpeedKmh: z.number().positive().optional(),
  osrmUrl: z.url().optional(),
});

const matrixRows = z.array(z.array(z.number().nonnegative()));

/** Stops placed on the caller's own matrix by row: windows and real road times together. */
const MatrixStopsFile = z.object({
  matrix: z.strictObject({ durationsS: matrixRows, distancesM: matrixRows.optional() }),
  stops: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        node: z.number().int().nonnegative(),
        serviceMinutes: z.number().nonnegative().default(0),
        window: clockWindow.optional(),
      }),
    )
    .min(1, 'there must be at least one stop'),
  start: z.number().int().nonnegative().default(0),
  end: z.number().int().nonnegative().nullable().default(null),
  returnToStart: z.boolean().default(false),
  day: dayHours.optional(),
  metric: z.enum(['duration', 'distance']).default('duration'),
});

/** Seconds since midnight, read from the clock time as written (an ISO time keeps its own local clock). */
function secondsOfDay(text: string): number {
  const match = /(?:T|^)(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (match === null) throw new InputError(`cannot read a time from "${text}"`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(file)'}: ${i.message}`).join('\n');
}

function dayOf(day: z.infer<typeof dayHours> | undefined): { startS: number; endS: number | null } {
  return { startS: day ? secondsOfDay(day.start) : 0, endS: day?.end ? secondsOfDay(day.end) : null };
}

function windowOf(window: z.infer<typeof clockWindow> | undefined): { earliestS: number; latestS: number } | null {
  return window ? { earliestS: secondsOfDay(window.start), latestS: secondsOfDay(window.end) } : null;
}

/** What the stops inputs print: the day as planned, in the request's metric. */
function stopsReport(plan: RoutePlan, metric: 'duration' | 'distance', matrixSource: string, matrixNote: string | null): unknown {
  return {
    order: plan.order,
    cost: plan.cost,
    metric,
    unit: metric === 'duration' ? 'seconds' : 'metres',
    matrixSource,
    matrixNote,
    totals: plan.schedule.totals,
    visits: plan.schedule.visits,
    broken: plan.schedule.broken,
    unplaced: plan.unplaced,
    search: plan.search,
  };
}

function solve(input: RoutePlanRequestInput, budget: { seed: number; timeLimitMs: number; maxIterations: number }): RoutePlan {
  const parsed = parseRoutePlanRequest(input);
  if (!parsed.ok) throw new InputError(`the route request is not valid:\n  ${parsed.problems.join('\n  ')}`);
  return planRoute(parsed.request, budget);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '1' },
      'time-limit-ms': { type: 'string', default: '1500' },
      iterations: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const file = positionals[0];
  if (file === undefined) throw new InputError(usage);
  const seed = Number(values.seed);
  const timeLimitMs = Number(values['time-limit-ms']);
  const maxIterations = values.iterations === undefined ? 1_000_000_000 : Number(values.iterations);
  if (!Number.isInteger(seed)) throw new InputError('--seed must be a whole number');
  if (!(timeLimitMs > 0)) throw new InputError('--time-limit-ms must be above zero');
  if (!(maxIterations >= 0)) throw new InputError('--iterations must be zero or more');
  const budget = { seed, timeLimitMs, maxIterations };

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }

  if (file.toLowerCase().endsWith('.tsp')) {
    const instance = parseTsplib(text);
    const matrix = euc2dMatrix(instance);
    const plan = solve(
      {
        matrix: { costs: matrix },
        metric: 'cost',
        startNode: 0,
        returnToStart: true,
        stops: matrix.slice(1).map((_, i) => ({ id: String(i + 1), node: i + 1 })),
      },
      budget,
    );
    const gapPercent = instance.optimum === null ? null : ((plan.cost - instance.optimum) / instance.optimum) * 100;
    print({ name: instance.name, order: [0, ...plan.stopIndices.map((s) => s + 1)], cost: plan.cost, optimum: instance.optimum, gapPercent, search: plan.search });
    return;
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is neither a .tsp file nor valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json === 'object' && json !== null && 'matrix' in json && 'stops' in json) {
    const parsed = MatrixStopsFile.safeParse(json);
    if (!parsed.success) throw new InputError(`${file} is not a valid stops-on-a-matrix input:\n${describeZodError(parsed.error)}`);
    const input = parsed.data;
    const plan = solve(
      {
        matrix: { durationsS: input.matrix.durationsS, ...(input.matrix.distancesM ? { distancesM: input.matrix.distancesM } : {}) },
        metric: input.metric,
        startNode: input.start,
        endNode: input.returnToStart ? null : input.end,
        returnToStart: input.returnToStart,
        day: dayOf(input.day),
        stops: input.stops.map((s) => ({ id: s.id, node: s.node, serviceS: s.serviceMinutes * 60, window: windowOf(s.window) })),
      },
      budget,
    );
    print(stopsReport(plan, input.metric, 'given', null));
    return;
  }
  if (typeof json === 'object' && json !== null && 'matrix' in json) {
    const parsed = MatrixFile.safeParse(json);
    if (!parsed.success) throw new InputError(`${file} is not a valid matrix input:\n${describeZodError(parsed.error)}`);
    const { matrix, start, end, returnToStart } = parsed.data;
    const nodes = matrix.map((_, i) => i).filter((i) => i !== start && i !== (returnToStart ? -1 : end));
    const plan = solve(
      {
        matrix: { costs: matrix },
        metric: 'cost',
        startNode: start,
        endNode: returnToStart ? null : end,
        returnToStart,
        stops: nodes.map((node) => ({ id: String(node), node })),
      },
      budget,
    );
    const visited = plan.stopIndices.map((s) => nodes[s] as number);
    const order = [start, ...visited, ...(returnToStart ? [] : end === null ? [] : [end])];
    print({ order, cost: plan.cost, returnToStart, search: plan.search });
    return;
  }
  if (typeof json === 'object' && json !== null && 'stops' in json) {
    const parsed = StopsFile.safeParse(json);
    if (!parsed.success) throw new InputError(`${file} is not a valid stops input:\n${describeZodError(parsed.error)}`);
    const input = parsed.data;
    const first = input.stops[0] as (typeof input.stops)[number];
    const points = [input.start ?? { lat: first.lat, lon: first.lon }, ...input.stops.map((s) => ({ lat: s.lat, lon: s.lon }))];
    const offline = { detourFactor: input.detourFactor, averageSpeedKmh: input.averageSpeedKmh };
    const offlineSettings = Object.fromEntries(Object.entries(offline).filter(([, v]) => v !== undefined));
    let matrix: TravelMatrix = offlineTravelMatrix(points, offlineSettings);
    let matrixNote: string | null = null;
    if (input.osrmUrl !== undefined) {
      const fetched = await fetchTravelMatrix(points, { baseUrl: input.osrmUrl, fetch: (url, init) => fetch(url, init), offline: offlineSettings });
      matrix = fetched;
      matrixNote = fetched.fallbackReason;
    }
    const plan = solve(
      {
        matrix: { durationsS: matrix.durationsS, distancesM: matrix.distancesM },
        metric: input.metric,
        startNode: 0,
        returnToStart: input.returnToStart,
        day: dayOf(input.day),
        stops: input.stops.map((s, i) => ({ id: s.id, node: i + 1, serviceS: s.serviceMinutes * 60, window: windowOf(s.window) })),
      },
      budget,
    );
    print(stopsReport(plan, input.metric, matrix.source, matrixNote));
    return;
  }
  throw new InputError(`${file} has neither "matrix" nor "stops"; run plan-route --help for the formats`);
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof InputError || error instanceof TsplibParseError) {
    process.stderr.write(`plan-route: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`plan-route: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
