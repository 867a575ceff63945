import { describe, expect, it } from 'vitest';
import { calendarClock, dayIsNearlyOver, planRoute, relativeClock, unplacedWords, type RoutePlanRequestInput } from '../../shared/route';
import { RoutePlanRequest } from '../../shared/route';

const hour = 3600;
const minute = 60;
const day = 24 * hour;
/** Tuesday 1 December 2026, planned in Chicago on a Chicago laptop. */
const tuesday = calendarClock('2026-12-01', { timeZone: 'America/Chicago', deviceZone: 'America/Chicago', locale: 'en-US' });

function request(input: Partial<RoutePlanRequestInput>): RoutePlanRequest {
  const durations = [
    [0, 20 * minute, 30 * minute],
    [20 * minute, 0, 15 * minute],
    [30 * minute, 15 * minute, 0],
  ];
  return RoutePlanRequest.parse({ matrix: { durationsS: durations }, metric: 'duration', startNode: 0, day: { startS: 8 * hour, endS: 17 * hour }, stops: [], ...input });
}

describe("the route's reasons, in words", () => {
  it('says the weekday of a time on another day, never "+2d"', () => {
    expect(tuesday(13 * hour + 20 * minute)).toBe('13:20');
    expect(tuesday(2 * day + 13 * hour + 20 * minute)).toBe('Thursday 13:20');
    expect(relativeClock(2 * day + 13 * hour + 20 * minute)).toBe('13:20 two days later');
    expect(relativeClock(day + 30 * minute)).toBe('00:30 the next day');
    expect(relativeClock(day + 30 * minute)).not.toMatch(/\+\d+d/);
  });

  it('says when the stop would be reached and when the working day ends', () => {
    const words = unplacedWords({ code: 'outside-working-day', arrivalS: 2 * day + 13 * hour + 20 * minute, finishS: 2 * day + 14 * hour, dayEndS: 17 * hour }, tuesday);
    expect(words).toBe('would arrive Thursday 13:20, after the working day ends at 17:00');
  });

  it('says an appointment on a later day is on a later day, not that it was missed', () => {
    const thursdayWindow = { earliestS: 2 * day + 9 * hour, latestS: 2 * day + 11 * hour };
    const plan = planRoute(request({ stops: [{ id: 'later', node: 1, window: thursdayWindow }, { id: 'today', node: 2 }] }), { timeLimitMs: 200, seed: 1 });
    expect(plan.order).toEqual(['today']);
    const [later] = plan.unplaced;
    expect(later?.code).toBe('appointment-later-day');
    expect(later?.reason).not.toMatch(/missed|closes|closed/);
    expect(later && unplacedWords(later.facts, tuesday)).toBe('the appointment is on a later day: it opens Thursday 09:00, after this working day ends at 17:00; plan it on that day');
  });

  it('planned at 17:30, after the day ends, every stop says it would arrive after the end of the working day', () => {
    const late = planRoute(request({ day: { startS: 17 * hour + 30 * minute, endS: 17 * hour }, stops: [{ id: 'a', node: 1 }, { id: 'b', node: 2 }] }), { timeLimitMs: 200, seed: 1 });
    expect(late.order).toEqual([]);
    expect(late.unplaced.map((stop) => unplacedWords(stop.facts, tuesday))).toEqual([
      'would arrive 17:50, after the working day ends at 17:00',
      'would arrive 18:00, after the working day ends at 17:00',
    ]);
  });

  it('offers tomorrow once less than an hour and a half of the working day is left', () => {
    expect(dayIsNearlyOver(17 * hour + 30 * minute, 17 * hour)).toBe(true);
    expect(dayIsNearlyOver(15 * hour + 45 * minute, 17 * hour)).toBe(true);
    expect(dayIsNearlyOver(14 * hour, 17 * hour)).toBe(false);
  });
});
