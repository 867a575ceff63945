/**
 * Route planner figures: TSPLIB instances against their proven optima, and a seeded day of
 * 200 stops with appointment windows. A measurement, not a test: it prints and writes
 * tests/bench/results/route-planner.json, and asserts nothing about time.
 *
 *   tsx tests/bench/route-planner.bench.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoutePlanRequest } from '../../shared/route/plan-request';
import { seededRandom } from '../../shared/route/random';
import { planRoute } from '../../shared/route/route-planner';
import { nearestNeighbourTour, tourCost } from '../../shared/route/tour-search';
import { offlineTravelMatrix } from '../../shared/route/travel-matrix';
import { euc2dMatrix, parseTsplib } from '../../shared/route/tsplib';

const here = dirname(fileURLToPath(import.meta.url));
const timeLimitMs = 1500;
const seeds = [1, 2, 3, 4, 5];
const clock = () => performance.now();

interface TsplibFigure {
  instance: string;
  optimum: number;
  nearestNeighbourCost: number;
  runs: { seed: number; cost: number; gapPercent: number; ms: number; iterations: number }[];
  meanGapPercent: number;
  maxMs: number;
}

const tsplib: TsplibFigure[] = [];
for (const name of ['berlin52', 'kroA100', 'ch150']) {
  const instance = parseTsplib(readFileSync(join(here, '../fixtures/tsplib', `${name}.tsp`), 'utf8'));
  if (instance.optimum === null) throw new Error(`${name}.tsp states no optimum`);
  const matrix = euc2dMatrix(instance);
  const request = RoutePlanRequest.parse({
    matrix: { costs: matrix },
    metric: 'cost',
    startNode: 0,
    returnToStart: true,
    stops: matrix.slice(1).map((_, i) => ({ id: String(i + 1), node: i + 1 })),
  });
  const runs = seeds.map((seed) => {
    const started = clock();
    const plan = planRoute(request, { seed, timeLimitMs, clock });
    const ms = clock() - started;
    const gapPercent = ((plan.cost - (instance.optimum as number)) / (instance.optimum as number)) * 100;
    return { seed, cost: plan.cost, gapPercent, ms: Math.round(ms), iterations: plan.search.iterations };
  });
  const flat = Float64Array.from(matrix.flat());
  const figure: TsplibFigure = {
    instance: name,
    optimum: instance.optimum,
    nearestNeighbourCost: tourCost(flat, instance.dimension, nearestNeighbourTour(flat, instance.dimension)),
    runs,
    meanGapPercent: runs.reduce((sum, r) => sum + r.gapPercent, 0) / runs.length,
    maxMs: Math.max(...runs.map((r) => r.ms)),
  };
  tsplib.push(figure);
  console.log(
    `${name.padEnd(9)} optimum ${figure.optimum}  nearest-neighbour ${figure.nearestNeighbourCost}  ` +
      runs.map((r) => `${r.cost} (${r.gapPercent.toFixed(2)}%, ${r.ms} ms)`).join('  ') +
      `  mean gap ${figure.meanGapPercent.toFixed(2)}%`,
  );
}

/** A seeded city day: 200 stops within ~5 km of the depot, 30% with two-hour appointment windows. */
function windowedDay(stopCount: number, seed: number) {
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

const windowedRequest = windowedDay(200, 42);
const windowedRuns = seeds.map((seed) => {
  const started = clock();
  const plan = planRoute(windowedRequest, { seed, timeLimitMs, clock });
  const ms = clock() - started;
  return {
    seed,
    driveS: Math.round(plan.cost),
    placed: plan.order.length,
    unplaced: plan.unplaced.length,
    brokenRules: plan.schedule.broken.length,
    finishS: Math.round(plan.schedule.totals.finishS),
    ms: Math.round(ms),
    iterations: plan.search.iterations,
  };
});
for (const r of windowedRuns) {
  console.log(
    `200 stops, windows  seed ${r.seed}: drive ${(r.driveS / 3600).toFixed(2)} h, placed ${r.placed}, unplaced ${r.unplaced}, ` +
      `broken ${r.brokenRules}, ${r.ms} ms, ${r.iterations} iterations`,
  );
}

const results = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
  timeLimitMs,
  tsplib,
  meanGapPercentOverInstances: tsplib.reduce((sum, f) => sum + f.meanGapPercent, 0) / tsplib.length,
  windowedDay: {
    description: '200 seeded stops (seed 42) within ~5 km, 30% with 2-hour windows, 2–4 min on site, day 06:00–22:00, offline matrix',
    runs: windowedRuns,
  },
};
const out = join(here, 'results', 'route-planner.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`mean gap over instances ${results.meanGapPercentOverInstances.toFixed(3)}%; written to ${out}`);
