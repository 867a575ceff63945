/**
 * Route planner figures: TSPLIB instances against their proven optima, and how long the
 * planner takes against its budget as days grow (100 to 5,000 stops, with and without
 * appointment windows). A measurement, not a test: it prints and writes
 * tests/bench/results/route-planner.json, and asserts nothing about time.
 *
 *   tsx tests/bench/route-planner.bench.ts
 *   tsx tests/bench/route-planner.bench.ts --sizes 100,500,1002 --days tour --seeds 1,2
 *   tsx tests/bench/route-planner.bench.ts --burners 1 --skip-tsplib --seeds 1,2,3,4,5,6,7,8,9,10
 *
 * --burners N (or ROUTE_BENCH_BURNERS) starts N processes that spin a core each for the whole
 * run, as a CI job or a second app would on the agent's laptop: the budget is meant to hold
 * on a loaded machine too. The default run starts none. Each run also reports how long V8's
 * garbage collector held the main thread during it (gc), so an overshoot can be told apart
 * from the planner's own work.
 *
 * Wall time is measured around planRoute, so it includes everything the planner does
 * (reading the matrix, neighbour lists, construction, search); overshoot is wall time minus
 * the budget. ROUTE_BENCH_TSPLIB names a folder of further .tsp files (with an OPTIMUM line)
 * to measure beside the fixtures (berlin52, kroA100, ch150 and pr1002, from TSPLIB).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { seededRandom } from '../../shared/route/random';
import { planRoute, type RoutePlan } from '../../shared/route/route-planner';
import { nearestNeighbourTour, tourCost } from '../../shared/route/tour-search';
import { offlineTravelMatrix } from '../../shared/route/travel-matrix';
import { euc2dMatrix, parseTsplib } from '../../shared/route/tsplib';
import { median } from './bench-stats';

const here = dirname(fileURLToPath(import.meta.url));
const clock = () => performance.now();

const { values: args } = parseArgs({
  options: {
    'time-limit-ms': { type: 'string', default: '1500' },
    seeds: { type: 'string', default: '1,2,3,4,5' },
    sizes: { type: 'string', default: '100,200,500,1002,2000,5000' },
    days: { type: 'string', default: 'tour,windows' },
    'skip-tsplib': { type: 'boolean', default: false },
    burners: { type: 'string', default: process.env.ROUTE_BENCH_BURNERS ?? '0' },
  },
});
const timeLimitMs = Number(args['time-limit-ms']);
const seeds = (args.seeds ?? '').split(',').map(Number);
const sizes = (args.sizes ?? '').split(',').filter((s) => s !== '').map(Number);
const days = (args.days ?? '').split(',').filter((s) => s !== '');
const burnerCount = Number(args.burners);

const burners: ChildProcess[] = Array.from({ length: burnerCount }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopBurners = () => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('exit', stopBurners);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopBurners();
    process.exit(130);
  });
}
if (burnerCount > 0) {
  console.log(`${burnerCount} burner process(es) spinning: ${burners.map((b) => b.pid).join(', ')}`);
  await sleep(500);
}

/** Pauses of the main thread for garbage collection, as V8 reports them. */
const gcPauses: { startedAt: number; ms: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push({ startedAt: entry.startTime, ms: entry.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });

interface Run {
  seed: number;
  cost: number;
  ms: number;
  overshootMs: number;
  iterations: number;
  /** The planner's own word that the budget, not the search settling, ended the run. */
  deadlineReached: boolean;
  /** Garbage collection pauses during the run, in all. */
  gcMs: number;
}

async function timedPlan(request: RoutePlanRequest, seed: number): Promise<{ plan: RoutePlan; run: Run }> {
  const started = clock();
  const plan = planRoute(request, { seed, timeLimitMs, clock });
  const ended = clock();
  const ms = ended - started;
  // The observer hears of the run's collections only once the event loop turns.
  await sleep(0);
  await sleep(0);
  const gcMs = gcPauses.filter((g) => g.startedAt >= started && g.startedAt < ended).reduce((sum, g) => sum + g.ms, 0);
  return {
    plan,
    run: {
      seed,
      cost: plan.cost,
      ms: Math.round(ms),
      overshootMs: Math.round(ms - timeLimitMs),
      iterations: plan.search.iterations,
      deadlineReached: plan.search.deadlineReached,
      gcMs: Math.round(gcMs),
    },
  };
}

function tourRequest(matrix: number[][]): RoutePlanRequest {
  return RoutePlanRequest.parse({
    matrix: { costs: matrix },
    metric: 'cost',
    startNode: 0,
    returnToStart: true,
    stops: matrix.slice(1).map((_, i) => ({ id: String(i + 1), node: i + 1 })),
  });
}

interface TsplibFigure {
  instance: string;
  dimension: number;
  optimum: number;
  nearestNeighbourCost: number;
  runs: (Run & { gapPercent: number })[];
  meanGapPercent: number;
  worstGapPercent: number;
  maxMs: number;
}

function tsplibFiles(): string[] {
  const fixtures = ['berlin52', 'kroA100', 'ch150', 'pr1002'].map((name) => join(here, '../fixtures/tsplib', `${name}.tsp`));
  const extra = process.env.ROUTE_BENCH_TSPLIB;
  if (extra === undefined || extra === '') return fixtures;
  const more = readdirSync(extra).filter((f) => f.endsWith('.tsp')).sort().map((f) => join(extra, f));
  return [...fixtures, ...more];
}

const tsplib: TsplibFigure[] = [];
if (!args['skip-tsplib']) {
  for (const file of tsplibFiles()) {
    const instance = parseTsplib(readFileSync(file, 'utf8'));
    if (instance.optimum === null) throw new Error(`${file} states no optimum`);
    const optimum = instance.optimum;
    const matrix = euc2dMatrix(instance);
    const request = tourRequest(matrix);
    const runs: (Run & { gapPercent: number })[] = [];
    for (const seed of seeds) {
      const { run } = await timedPlan(request, seed);
      runs.push({ ...run, gapPercent: ((run.cost - optimum) / optimum) * 100 });
    }
    const flat = Float64Array.from(matrix.flat());
    const figure: TsplibFigure = {
      instance: instance.name,
      dimension: instance.dimension,
      optimum,
      nearestNeighbourCost: tourCost(flat, instance.dimension, nearestNeighbourTour(flat, instance.dimension)),
      runs,
      meanGapPercent: runs.reduce((sum, r) => sum + r.gapPercent, 0) / runs.length,
      worstGapPercent: Math.max(...runs.map((r) => r.gapPercent)),
      maxMs: Math.max(...runs.map((r) => r.ms)),
    };
    tsplib.push(figure);
    console.log(
      `${instance.name.padEnd(9)} optimum ${optimum}  nearest-neighbour ${figure.nearestNeighbourCost}  ` +
        runs.map((r) => `${r.cost} (${r.gapPercent.toFixed(2)}%, ${r.ms} ms)`).join('  ') +
        `  mean gap ${figure.meanGapPercent.toFixed(2)}%, worst ${figure.worstGapPercent.toFixed(2)}%, max ${figure.maxMs} ms of ${timeLimitMs}`,
    );
  }
}

/** Uniform random points in a 10,000 × 10,000 square, rounded Euclidean costs (as TSPLIB's EUC_2D). */
function randomTour(stopCount: number, seed: number): RoutePlanRequest {
  const random = seededRandom(seed);
  const points = Array.from({ length: stopCount + 1 }, () => ({ x: random() * 10_000, y: random() * 10_000 }));
  return tourRequest(points.map((a) => points.map((b) => Math.round(Math.hypot(a.x - b.x, a.y - b.y)))));
}

/** A seeded city day: stops within ~5 km of the depot, 30% with two-hour appointment windows. */
function windowedDay(stopCount: number, seed: number): RoutePlanRequest {
  const random = seededRandom(seed);
  const depot = { lat: 52.52, lon: 13.405 };
  const points = [
    depot,
    ...Array.from({ length: stopCount }, () => ({
      lat: depot.lat + (random() - 0.5) * 0.1,
      lon: depot.lon + (random() - 0.5) * 0.16,
    })),
  ];
  const matrix = offlineTravelMatrix(points);
  const hour = 3600;
  return RoutePlanRequest.parse({
    matrix: { durationsS: matrix.durationsS, distancesM: matrix.distancesM },
    metric: 'duration',
    startNode: 0,
    returnToStart: true,
    day: { startS: 6 * hour, endS: 22 * hour },
    stops: points.slice(1).map((_, i) => {
      const windowed = random() < 0.3;
      const opens = 6 * hour + Math.floor(random() * 14) * hour;
      return {
        id: `stop-${i + 1}`,
        node: i + 1,
        serviceS: 120 + Math.floor(random() * 120),
        window: windowed ? { earliestS: opens, latestS: opens + 2 * hour } : null,
      };
    }),
  });
}

/**
 * Not in the default run: the same city, every stop with a soft due time and no end to the
 * day, so every stop fits and each move is timed to the end of a long route (the schedule
 * engine's dearest moves, the ones that test how often it looks at the clock).
 */
function dueDay(stopCount: number, seed: number): RoutePlanRequest {
  const windowed = windowedDay(stopCount, seed);
  const random = seededRandom(seed + 1);
  const hour = 3600;
  return RoutePlanRequest.parse({
    ...windowed,
    day: { startS: 6 * hour, endS: null },
    stops: windowed.stops.map((stop) => ({
      ...stop,
      window: null,
      due: { byS: 8 * hour + Math.floor(random() * 10 * hour), penaltyPerHour: 600 },
    })),
  });
}

const dayKinds: Record<string, (stopCount: number, seed: number) => RoutePlanRequest> = {
  tour: randomTour,
  windows: windowedDay,
  due: dueDay,
};

interface SizeFigure {
  day: string;
  stops: number;
  runs: (Run & { placed: number; brokenRules: number })[];
  medianMs: number;
  maxMs: number;
  maxOvershootMs: number;
}

const budgetFigures: SizeFigure[] = [];
for (const day of days) {
  for (const size of sizes) {
    const build = dayKinds[day];
    if (build === undefined) throw new Error(`--days knows ${Object.keys(dayKinds).join(', ')}, not ${day}`);
    const request = build(size, 42);
    const runs: (Run & { placed: number; brokenRules: number })[] = [];
    for (const seed of seeds) {
      const { plan, run } = await timedPlan(request, seed);
      runs.push({ ...run, placed: plan.order.length, brokenRules: plan.schedule.broken.length });
    }
    const figure: SizeFigure = {
      day,
      stops: size,
      runs,
      medianMs: median(runs.map((r) => r.ms)),
      maxMs: Math.max(...runs.map((r) => r.ms)),
      maxOvershootMs: Math.max(...runs.map((r) => r.overshootMs)),
    };
    budgetFigures.push(figure);
    console.log(
      `${day.padEnd(7)} ${String(size).padStart(5)} stops  budget ${timeLimitMs} ms  wall ` +
        runs.map((r) => `${r.ms}`).join('/') +
        ` ms  median ${figure.medianMs} max ${figure.maxMs} (overshoot ${figure.maxOvershootMs}) ms` +
        `  gc ${runs.map((r) => r.gcMs).join('/')} ms  placed ${runs.map((r) => r.placed).join('/')}` +
        `  broken ${runs.map((r) => r.brokenRules).join('/')}  iterations ${runs.map((r) => r.iterations).join('/')}` +
        `  deadline reached ${runs.map((r) => (r.deadlineReached ? 'yes' : 'no')).join('/')}`,
    );
  }
}

const results = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  burners: burnerCount,
  timeLimitMs,
  tsplib,
  meanGapPercentOverInstances: tsplib.length === 0 ? null : tsplib.reduce((sum, f) => sum + f.meanGapPercent, 0) / tsplib.length,
  budget: {
    description:
      'tour: uniform random points, rounded Euclidean costs; windows: stops within ~5 km of a depot, 30% with 2-hour windows, 2–4 min on site, day 06:00–22:00, offline matrix (most stops of the larger days cannot fit); due: the same stops with soft due times and no end of day',
    figures: budgetFigures,
    maxOvershootMs: budgetFigures.length === 0 ? null : Math.max(...budgetFigures.map((f) => f.maxOvershootMs)),
  },
};
const out = join(here, 'results', burnerCount > 0 ? `route-planner-${burnerCount}-burners.json` : 'route-planner.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
gcObserver.disconnect();
stopBurners();
console.log(
  `mean gap over instances ${results.meanGapPercentOverInstances?.toFixed(3) ?? '-'}%, ` +
    `max overshoot ${results.budget.maxOvershootMs ?? '-'} ms over a ${timeLimitMs} ms budget; written to ${out}`,
);
