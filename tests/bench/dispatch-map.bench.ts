/**
 * The dispatch map at 10,000 jobs: how long the cluster index takes to build (once per data
 * change) and how long one view's query takes (every pan and zoom), plus area selection.
 * Prints the figures and writes tests/bench/results/dispatch-map.json; asserts nothing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { idsInArea } from '../../renderer/features/dispatch/map/area-selection';
import { buildJobClusterIndex, type ViewBox } from '../../renderer/features/dispatch/map/job-clusters';
import { generatedMapJobs } from '../fixtures/dispatch/map-jobs';

interface Figure {
  readonly case: string;
  readonly jobs: number;
  readonly medianMs: number;
  readonly worstMs: number;
  /** Markers drawn for a view, or jobs picked by a selection. */
  readonly found?: number;
}

function time<T>(name: string, jobs: number, runs: number, work: () => T, found?: (result: T) => number): Figure {
  const samples: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    result = work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const figure: Figure = {
    case: name,
    jobs,
    medianMs: Number((samples[Math.floor(samples.length / 2)] ?? 0).toFixed(3)),
    worstMs: Number((samples.at(-1) ?? 0).toFixed(3)),
    ...(found && result !== undefined ? { found: found(result) } : {}),
  };
  console.log(`${name.padEnd(40)} ${String(jobs).padStart(6)} jobs  median ${figure.medianMs.toFixed(2).padStart(8)} ms  worst ${figure.worstMs.toFixed(2).padStart(8)} ms${figure.found === undefined ? '' : `  ${figure.found} found`}`);
  return figure;
}

const views: [string, ViewBox, number][] = [
  ['view: whole area, zoom 9', [-88.3, 41.5, -87.2, 42.3], 9],
  ['view: city, zoom 12', [-87.75, 41.83, -87.55, 41.93], 12],
  ['view: streets, zoom 16', [-87.64, 41.875, -87.62, 41.888], 16],
];

function main(): void {
  const figures: Figure[] = [];
  for (const count of [1_000, 10_000, 50_000]) {
    const jobs = generatedMapJobs(count);
    figures.push(time(`index build`, count, 7, () => buildJobClusterIndex(jobs)));
    const index = buildJobClusterIndex(jobs);
    for (const [name, view, zoom] of views) figures.push(time(name, count, 51, () => index.markers(view, zoom), (markers) => markers.length));
    figures.push(time('box selection (city box)', count, 51, () => idsInArea(jobs, { kind: 'box', box: { south: 41.83, west: -87.75, north: 41.93, east: -87.55 } }), (ids) => ids.length));
    const ring = Array.from({ length: 200 }, (_, i) => ({ lat: 41.88 + 0.05 * Math.sin((i / 200) * 2 * Math.PI), lon: -87.65 + 0.07 * Math.cos((i / 200) * 2 * Math.PI) }));
    figures.push(time('lasso selection (200-point ring)', count, 51, () => idsInArea(jobs, { kind: 'lasso', ring }), (ids) => ids.length));
  }
  mkdirSync('tests/bench/results', { recursive: true });
  writeFileSync('tests/bench/results/dispatch-map.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, figures }, null, 2)}\n`);
  console.log('Wrote tests/bench/results/dispatch-map.json');
}

main();
