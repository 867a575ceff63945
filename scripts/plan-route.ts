/**
 * Plans a route from a file and prints it as JSON.
 *
 *   tsx scripts/plan-route.ts <file> [--seed N] [--time-limit-ms N] [--iterations N]
 *
 * The file is a TSPLIB .tsp (EUC_2D), or JSON: {"matrix": number[][], "start": 0,
 * "returnToStart": true} or {"stops": [{"id", "lat", "lon", "serviceMinutes"?, "window"?:
 * {"start", "end"}}], ...}. `order` lists node indices (matrix, TSPLIB) or stop ids (stops) in
 * visiting order; `cost` is the total in the input's own metric.
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

const StopsFile = z.object({
  stops: z
    .array(
      z.object({
        id: z.string().min(1),
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        serviceMinutes: z.number().nonnegative().default(0),
        window: z.object({ start: clockText, end: clockText }).optional(),
      }),
    )
    .min(1, 'there must be at least one stop'),
  start: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
  returnToStart: z.boolean().default(false),
  day: z.object({ start: clockText, end: clockText.optional() }).optional(),
  metric: z.enum(['duration', 'distance']).default('duration'),
  detourFactor: z.number().min(1).optional(),
  averageSpeedKmh: z.number().positive().optional(),
  osrmUrl: z.url().optional(),
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
    },
  });
  const file = positionals[0];
  if (file === undefined) throw new InputError('usage: plan-route <file.tsp|file.json> [--seed N] [--time-limit-ms N] [--iterations N]');
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
        day: {
          startS: input.day ? secondsOfDay(input.day.start) : 0,
          endS: input.day?.end ? secondsOfDay(input.day.end) : null,
        },
        stops: input.stops.map((s, i) => ({
          id: s.id,
          node: i + 1,
          serviceS: s.serviceMinutes * 60,
          window: s.window ? { earliestS: secondsOfDay(s.window.start), latestS: secondsOfDay(s.window.end) } : null,
        })),
      },
      budget,
    );
    print({
      order: plan.order,
      cost: plan.cost,
      metric: input.metric,
      unit: input.metric === 'duration' ? 'seconds' : 'metres',
      matrixSource: matrix.source,
      matrixNote,
      totals: plan.schedule.totals,
      visits: plan.schedule.visits,
      unplaced: plan.unplaced,
      search: plan.search,
    });
    return;
  }
  throw new InputError(`${file} has neither "matrix" nor "stops"; see the usage at the top of scripts/plan-route.ts`);
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
