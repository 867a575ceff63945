import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm run plan-route` on stops with appointment windows placed on the caller's own
 * travel-time matrix (tests/fixtures/route/stops-with-windows-on-a-matrix.json): every window
 * is kept, the stop whose window cannot be reached is left out with the reason, and a file
 * that mixes the two stop formats is refused in words. The CLI is run as a user runs it.
 */
const root = join(__dirname, '../..');
const fixture = join(root, 'tests/fixtures/route/stops-with-windows-on-a-matrix.json');
const run = promisify(execFile);

interface Visit {
  stopId: string;
  arrivalS: number;
  serviceStartS: number;
  departureS: number;
}

interface Printed {
  order: string[];
  visits: Visit[];
  broken: unknown[];
  unplaced: { stopId: string; code: string; reason: string }[];
  matrixSource: string;
  totals: { finishS: number; distanceM: number | null };
}

function clock(text: string): number {
  const [hours, minutes] = text.split(':').map(Number) as [number, number];
  return hours * 3600 + minutes * 60;
}

async function planRouteCli(...args: string[]) {
  return run('npx', ['tsx', 'scripts/plan-route.ts', ...args], { cwd: root });
}

describe('plan-route with windows on a given matrix', () => {
  it('keeps every appointment window and explains the stop it cannot reach', { timeout: 60_000 }, async () => {
    const input = JSON.parse(await readFile(fixture, 'utf8')) as {
      stops: { id: string; window?: { start: string; end: string } }[];
      day: { start: string; end: string };
    };
    // An iteration cap and a generous time limit: the same plan on any machine.
    const { stdout } = await planRouteCli(fixture, '--iterations', '200', '--time-limit-ms', '60000');
    const plan = JSON.parse(stdout) as Printed;

    expect(plan.matrixSource).toBe('given');
    expect(plan.broken).toEqual([]);
    expect(plan.unplaced).toEqual([expect.objectContaining({ stopId: 'farm', code: 'window-unreachable' })]);
    expect(plan.unplaced[0]?.reason).toMatch(/window closes at 08:30/);
    expect([...plan.order].sort()).toEqual(['acme', 'bakery', 'clinic', 'dairy', 'estate']);
    expect(plan.visits.map((v) => v.stopId)).toEqual(plan.order);

    const windows = new Map(input.stops.flatMap((s) => (s.window ? [[s.id, s.window] as const] : [])));
    for (const visit of plan.visits) {
      expect(visit.arrivalS).toBeGreaterThanOrEqual(clock(input.day.start));
      const window = windows.get(visit.stopId);
      if (window === undefined) continue;
      expect(visit.arrivalS, `${visit.stopId} arrives before its window closes`).toBeLessThanOrEqual(clock(window.end));
      expect(visit.serviceStartS, `${visit.stopId} waits for its window to open`).toBeGreaterThanOrEqual(clock(window.start));
    }
    // The windows turn the day round: the far estate is due early, acme near the depot late.
    expect(plan.order.indexOf('estate')).toBeLessThan(plan.order.indexOf('acme'));
    expect(plan.totals.finishS).toBeLessThanOrEqual(clock(input.day.end));
    expect(plan.totals.distanceM).toBe(50_000);
  });

  it('refuses a stop given both a matrix row and coordinates, naming the field', { timeout: 60_000 }, async () => {
    const input = JSON.parse(await readFile(fixture, 'utf8')) as { stops: Record<string, unknown>[] };
    input.stops[0] = { ...input.stops[0], lat: 52.5, lon: 13.4 };
    const file = join(await mkdtemp(join(tmpdir(), 'reclaim-plan-route-')), 'mixed.json');
    await writeFile(file, JSON.stringify(input));
    const failure = await planRouteCli(file).then(
      () => null,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/not a valid stops-on-a-matrix input/);
    expect(failure?.stderr).toMatch(/stops\.0/);
  });
});
