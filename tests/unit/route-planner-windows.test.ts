import { describe, expect, it } from 'vitest';
import { RoutePlanRequest, type RoutePlanRequestInput } from '../../shared/route/plan-request';
import { planRoute } from '../../shared/route/route-planner';
import { scheduleRoute } from '../../shared/route/schedule';

const hour = 3600;
const minute = 60;
const budget = { seed: 3, maxIterations: 200, timeLimitMs: Infinity };

/** Travel times in minutes between the start (node 0) and three customers, the same both ways. */
const minutes = [
  [0, 40, 20, 30],
  [40, 0, 25, 50],
  [20, 25, 0, 15],
  [30, 50, 15, 0],
];
const durationsS = minutes.map((row) => row.map((m) => m * minute));

function request(overrides: Partial<RoutePlanRequestInput>): RoutePlanRequest {
  return RoutePlanRequest.parse({
    matrix: { durationsS },
    metric: 'duration',
    startNode: 0,
    returnToStart: true,
    day: { startS: 10 * hour, endS: 18 * hour },
    stops: [
      { id: 'acme', node: 1 },
      { id: 'bakery', node: 2 },
      { id: 'clinic', node: 3 },
    ],
    ...overrides,
  });
}

describe('planner with time rules', () => {
  it('leaves out a stop whose window shuts before it can be reached, and says so', () => {
    const plan = planRoute(
      request({
        stops: [
          { id: 'acme', node: 1, window: { earliestS: 9 * hour, latestS: 10 * hour } },
          { id: 'bakery', node: 2 },
          { id: 'clinic', node: 3 },
        ],
      }),
      budget,
    );
    expect(plan.order).not.toContain('acme');
    expect(plan.unplaced).toEqual([
      {
        stopId: 'acme',
        code: 'window-unreachable',
        reason: 'would arrive 10:40, after its appointment window closes at 10:00',
        facts: { code: 'window-unreachable', arrivalS: 10 * hour + 40 * minute, latestS: 10 * hour },
      },
    ]);
  });

  it('leaves out a stop that does not fit in the working day', () => {
    const plan = planRoute(
      request({
        day: { startS: 10 * hour, endS: 12 * hour },
        stops: [
          { id: 'acme', node: 1, serviceS: 3 * hour },
          { id: 'bakery', node: 2 },
        ],
      }),
      budget,
    );
    expect(plan.order).toEqual(['bakery']);
    expect(plan.unplaced[0]?.code).toBe('outside-working-day');
    expect(plan.unplaced[0]?.reason).toMatch(/^does not fit in the working day/);
    expect(plan.schedule.broken).toEqual([]);
  });

  it('waits when early for an appointment', () => {
    const plan = planRoute(
      request({ stops: [{ id: 'bakery', node: 2, serviceS: 30 * minute, window: { earliestS: 11 * hour, latestS: 12 * hour } }] }),
      budget,
    );
    const visit = plan.schedule.visits[0];
    expect(visit?.arrivalS).toBe(10 * hour + 20 * minute);
    expect(visit?.waitS).toBe(40 * minute);
    expect(visit?.serviceStartS).toBe(11 * hour);
    expect(visit?.departureS).toBe(11 * hour + 30 * minute);
    expect(plan.schedule.totals.finishS).toBe(11 * hour + 50 * minute);
    expect(plan.schedule.totals.waitS).toBe(40 * minute);
    expect(plan.cost).toBe(40 * minute);
  });

  it('orders stops to meet their windows even when that drives further', () => {
    const plan = planRoute(
      request({
        stops: [
          { id: 'acme', node: 1, window: { earliestS: 10 * hour, latestS: 10 * hour + 44 * minute } },
          { id: 'bakery', node: 2 },
          { id: 'clinic', node: 3 },
        ],
      }),
      budget,
    );
    // The shortest day goes the other way round (clinic, bakery, acme) and reaches acme at 11:10.
    expect(plan.order).toEqual(['acme', 'bakery', 'clinic']);
    expect(plan.unplaced).toEqual([]);
    expect(plan.schedule.broken).toEqual([]);
  });

  it('keeps locked stops at their positions', () => {
    const free = planRoute(request({}), budget);
    expect([free.order, [...free.order].reverse()]).toContainEqual(['acme', 'bakery', 'clinic']);
    const plan = planRoute(
      request({
        stops: [
          { id: 'acme', node: 1, lockedPosition: 0 },
          { id: 'bakery', node: 2 },
          { id: 'clinic', node: 3, lockedPosition: 1 },
        ],
      }),
      budget,
    );
    expect(plan.order).toEqual(['acme', 'clinic', 'bakery']);
    expect(plan.cost).toBeGreaterThan(free.cost);
    expect(plan.schedule.broken).toEqual([]);
  });

  it('brings a stop forward when it is due early (soft: a penalty, not a rule)', () => {
    const base = planRoute(request({ returnToStart: false, stops: [{ id: 'bakery', node: 2 }, { id: 'clinic', node: 3 }] }), budget);
    expect(base.order).toEqual(['bakery', 'clinic']);
    const due = planRoute(
      request({
        returnToStart: false,
        stops: [
          { id: 'bakery', node: 2 },
          { id: 'clinic', node: 3, due: { byS: 10 * hour + 30 * minute, penaltyPerHour: 3 * hour } },
        ],
      }),
      budget,
    );
    expect(due.order).toEqual(['clinic', 'bakery']);
    expect(due.schedule.visits[0]?.lateByS).toBe(0);
  });

  it('recomputes ETAs for a dragged order and shows the windows that break', () => {
    const req = request({
      stops: [
        { id: 'acme', node: 1, window: { earliestS: 10 * hour, latestS: 10 * hour + 45 * minute } },
        { id: 'bakery', node: 2 },
      ],
    });
    const dragged = scheduleRoute(req, ['bakery', 'acme']);
    expect(dragged.visits.map((v) => v.arrivalS)).toEqual([10 * hour + 20 * minute, 10 * hour + 45 * minute]);
    const late = scheduleRoute(
      request({
        stops: [
          { id: 'acme', node: 1, serviceS: 10 * minute, window: { earliestS: 10 * hour, latestS: 10 * hour + 45 * minute } },
          { id: 'bakery', node: 2, serviceS: 10 * minute },
        ],
      }),
      ['bakery', 'acme'],
    );
    expect(late.broken).toEqual([
      { stopId: 'acme', rule: 'window', message: 'would arrive 10:55, after its appointment window closes at 10:45', facts: { rule: 'window', arrivalS: 10 * hour + 55 * minute, latestS: 10 * hour + 45 * minute } },
    ]);
  });

  it('refuses a request it cannot plan, in words', () => {
    expect(() =>
      RoutePlanRequest.parse({
        matrix: { costs: [[0, 1], [1, 0]] },
        metric: 'cost',
        startNode: 0,
        stops: [{ id: 'a', node: 1, window: { earliestS: 0, latestS: 60 } }],
      }),
    ).toThrow(/appointment windows, due times and the end of the day need travel times/);
  });
});
