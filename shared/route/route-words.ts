import { dayInZone, midnightOf } from '../domain/time-zone';
import { clockText, weekdayClockText, type TimeTextContext } from '../domain/time-text';

/**
 * The planner's explanations in words an agent reads at a glance. The planner counts seconds
 * since the planned day's local midnight; a `DayClock` turns such a count into a time of day,
 * naming the weekday when it falls on another day ("would arrive Thursday 13:20"), never
 * "13:20 +2d".
 */
export type DayClock = (seconds: number, rounding?: 'down' | 'up') => string;

function roundedMinutes(seconds: number, rounding: 'down' | 'up'): number {
  return rounding === 'up' ? Math.ceil(seconds / 60 - 1e-9) : Math.floor(seconds / 60 + 1e-9);
}

const dayWords = ['', 'the next day', 'two days later', 'three days later'];

/** With no calendar (the command line): "13:20", "13:20 the next day", "08:00 the day before". */
export const relativeClock: DayClock = (seconds, rounding = 'down') => {
  const minutes = roundedMinutes(seconds, rounding);
  const day = Math.floor(minutes / 1440);
  const inDay = minutes - day * 1440;
  const text = `${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')}`;
  if (day === 0) return text;
  if (day === -1) return `${text} the day before`;
  if (day < 0) return `${text}, ${-day} days before`;
  return `${text} ${dayWords[day] ?? `${day} days later`}`;
};

/** On the plan's calendar: "13:20" on the planned day, "Thursday 13:20" on any other. */
export function calendarClock(day: string, context: TimeTextContext): DayClock {
  const midnight = midnightOf(day, context.timeZone);
  return (seconds, rounding = 'down') => {
    const at = midnight + roundedMinutes(seconds, rounding) * 60_000;
    return dayInZone(at, context.timeZone) === day ? clockText(at, context) : weekdayClockText(at, context);
  };
}

/** The facts behind a stop left out of the day, in the planner's seconds. */
export type UnplacedFacts =
  | { readonly code: 'window-closed'; readonly latestS: number; readonly dayStartS: number }
  | { readonly code: 'window-unreachable'; readonly arrivalS: number; readonly latestS: number }
  | { readonly code: 'appointment-later-day'; readonly earliestS: number; readonly dayEndS: number }
  | { readonly code: 'outside-working-day'; readonly arrivalS: number; readonly finishS: number; readonly dayEndS: number }
  | { readonly code: 'time-limit' }
  | { readonly code: 'no-room' };

/** Why a stop is not in the day, in words: the agent's next step included where there is one. */
export function unplacedWords(facts: UnplacedFacts, clock: DayClock): string {
  switch (facts.code) {
    case 'window-closed':
      return `the appointment window closed at ${clock(facts.latestS)}, before the day's first departure at ${clock(facts.dayStartS, 'up')}; ask the office to rebook it`;
    case 'window-unreachable':
      return `would arrive ${clock(facts.arrivalS, 'up')}, after its appointment window closes at ${clock(facts.latestS)}`;
    case 'appointment-later-day':
      return `the appointment is on a later day: it opens ${clock(facts.earliestS)}, after this working day ends at ${clock(facts.dayEndS)}; plan it on that day`;
    case 'outside-working-day':
      return facts.arrivalS > facts.dayEndS
        ? `would arrive ${clock(facts.arrivalS, 'up')}, after the working day ends at ${clock(facts.dayEndS)}`
        : `does not fit in the working day: even on its own the day would finish at ${clock(facts.finishS, 'up')}, after it ends at ${clock(facts.dayEndS)}`;
    case 'time-limit':
      return 'the planner ran out of time before it could find this stop a place; plan again, or plan fewer stops at once';
    case 'no-room':
      return 'does not fit in the working day with the other stops: anywhere it goes, another appointment window or the end of the day would be missed';
  }
}

/** The facts behind a hard rule the current order breaks, in the planner's seconds. */
export type BrokenFacts =
  | { readonly rule: 'window'; readonly arrivalS: number; readonly latestS: number }
  | { readonly rule: 'working-day'; readonly finishS: number; readonly dayEndS: number }
  | { readonly rule: 'lock'; readonly lockedPosition: number; readonly position: number };

export function brokenWords(facts: BrokenFacts, clock: DayClock): string {
  switch (facts.rule) {
    case 'window':
      return `would arrive ${clock(facts.arrivalS, 'up')}, after its appointment window closes at ${clock(facts.latestS)}`;
    case 'working-day':
      return `the day would finish at ${clock(facts.finishS, 'up')}, after the working day ends at ${clock(facts.dayEndS)}`;
    case 'lock':
      return `locked as stop ${facts.lockedPosition + 1} but planned as stop ${facts.position + 1}`;
  }
}

/** Less working day left than this, and today's plan would fit little: offer tomorrow instead. */
export const nearlyOverS = 90 * 60;

/** Whether the working day is over, or so nearly over that planning tomorrow is the better offer. */
export function dayIsNearlyOver(departureS: number, dayEndS: number): boolean {
  return dayEndS - departureS < nearlyOverS;
}
