import { describe, expect, it } from 'vitest';
import { planRoute, scheduleRoute } from '../../shared/route';
import { offlineTravelMatrix } from '../../shared/route/travel-matrix';
import type { LocalJob } from '../../renderer/db/schema';
import { buildPlanRequest, firstDepartureS, routePoints, type DayPlanInput } from '../../renderer/features/route/route-request';
import { defaultRouteSettings } from '../../renderer/features/route/route-settings';
import { makeJob } from './renderer-test-fixtures';
import { jobListKey } from '../../renderer/db/job-list-key';

const zone = 'America/Chicago';
const day = '2026-01-15';
const hour = 3600;
/** A fixed clock: Chicago is UTC−6 in January. */
const chicagoTime = (clock: string, on = day) => Date.parse(`${on}T${clock}:00-06:00`);

function localJob(name: string, lat: number, lon: number, appointment: { start: string; end: string } | null = null): LocalJob {
  const job = makeJob({ customerName: name, appointment, address: { ...makeJob().address, lat, lon } });
  return {
    ...job,
    confirmedStatus: 'assigned',
    lastConfirmedAt: '2026-01-15T06:00:00.000Z',
    searchWords: [],
    removedOnServer: false,
    listKey: jobListKey(job),
  };
}

function dayInput(jobs: LocalJob[], plannedAtMs: number, on = day): DayPlanInput {
  return {
    day: on,
    timeZone: zone,
    start: { lat: 41.8819, lon: -87.6278, label: 'Depot' },
    jobs,
    lockedPositions: {},
    settings: { ...defaultRouteSettings, dayStart: '08:00', dayEnd: '18:00' },
    plannedAtMs,
  };
}

function request(input: DayPlanInput) {
  return buildPlanRequest(input, offlineTravelMatrix(routePoints(input.start, input.jobs)));
}

describe('the day leaves now when it is planned after the working day began', () => {
  it('keeps the configured start when planned before it', () => {
    expect(firstDepartureS(day, zone, '08:00', chicagoTime('06:40'))).toBe(8 * hour);
    expect(firstDepartureS(day, zone, '08:00', chicagoTime('08:00'))).toBe(8 * hour);
  });

  it('leaves at the next five minutes once the day is under way', () => {
    expect(firstDepartureS(day, zone, '08:00', chicagoTime('14:02'))).toBe(14 * hour + 5 * 60);
    expect(firstDepartureS(day, zone, '08:00', chicagoTime('14:05'))).toBe(14 * hour + 5 * 60);
    expect(firstDepartureS(day, zone, '08:00', chicagoTime('14:05') + 1000)).toBe(14 * hour + 10 * 60);
  });

  it('keeps the configured start for a later day, whatever the time now', () => {
    expect(firstDepartureS('2026-01-16', zone, '08:00', chicagoTime('17:30'))).toBe(8 * hour);
  });

  it('counts from now on the day clocks spring forward (US, 8 March 2026)', () => {
    // 10:03 CDT is 9 h 3 min after midnight CST; the departure is 10:05 on the wall, 9 h 5 min in.
    expect(firstDepartureS('2026-03-08', zone, '08:00', Date.parse('2026-03-08T10:03:00-05:00'))).toBe(9 * hour + 5 * 60);
  });

  it('schedules the first ETA after now, not after the working-day start', () => {
    const jobs = [localJob('Near', 41.89, -87.63), localJob('Further', 41.92, -87.69)];
    const late = request(dayInput(jobs, chicagoTime('13:58')));
    expect(late.day.startS).toBe(14 * hour);
    const plan = planRoute(late, { timeLimitMs: 200, seed: 1 });
    const schedule = scheduleRoute(late, plan.order);
    expect(schedule.totals.startS).toBe(14 * hour);
    expect(schedule.visits[0]?.arrivalS).toBeGreaterThan(14 * hour);

    const early = request(dayInput(jobs, chicagoTime('07:15')));
    expect(early.day.startS).toBe(8 * hour);
  });

  it('reports a window that closed before now as unreachable, with the reason in words', () => {
    const missed = localJob('Missed', 41.89, -87.63, { start: '2026-01-15T09:00:00-06:00', end: '2026-01-15T11:00:00-06:00' });
    const later = localJob('Later', 41.9, -87.65, { start: '2026-01-15T15:00:00-06:00', end: '2026-01-15T17:00:00-06:00' });
    const plan = planRoute(request(dayInput([missed, later], chicagoTime('12:31'))), { timeLimitMs: 200, seed: 1 });
    expect(plan.order).toEqual([later.id]);
    expect(plan.unplaced).toEqual([
      {
        stopId: missed.id,
        code: 'window-unreachable',
        reason: "the appointment window closed at 11:00, before the day's first departure at 12:35; ask the office to rebook it",
        facts: { code: 'window-closed', latestS: 11 * hour, dayStartS: 12 * hour + 35 * 60 },
      },
    ]);
  });

  it('plans the same windows in full when made before the day starts', () => {
    const missed = localJob('Missed', 41.89, -87.63, { start: '2026-01-15T09:00:00-06:00', end: '2026-01-15T11:00:00-06:00' });
    const plan = planRoute(request(dayInput([missed], chicagoTime('07:00'))), { timeLimitMs: 200, seed: 1 });
    expect(plan.order).toEqual([missed.id]);
    expect(plan.unplaced).toEqual([]);
  });
});
