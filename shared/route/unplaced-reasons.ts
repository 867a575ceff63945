import { travelBetween, type CompiledProblem } from './compiled-problem';
import { formatClock } from './plan-request';

export type UnplacedCode = 'window-unreachable' | 'outside-working-day' | 'no-room' | 'time-limit';

export interface UnplacedStop {
  readonly stopId: string;
  readonly code: UnplacedCode;
  /** For the agent: why this stop is not in today's plan. */
  readonly reason: string;
}

/**
 * Why a stop was left out, checked from the simplest cause: did its window close before the
 * day even starts (planned late in the day)? Even driving there first thing, is it shut? Even alone, does it fit in the day? Otherwise the other stops'
 * appointments and the end of the day leave it no room — unless the time limit ran out
 * before every stop was offered a place (`everyStopTried` false), when that is the honest answer.
 */
export function explainUnplaced(problem: CompiledProblem, stop: number, everyStopTried = true): UnplacedStop {
  const stopId = problem.request.stops[stop]?.id ?? String(stop);
  const node = problem.node[stop] as number;
  const arrival = problem.dayStartS + travelBetween(problem, problem.startNode, node);
  const latest = problem.latestS[stop] as number;
  if (latest < problem.dayStartS) {
    return {
      stopId,
      code: 'window-unreachable',
      reason: `the appointment window closed at ${formatClock(latest)}, before the day's first departure at ${formatClock(problem.dayStartS, 'up')}; ask the office to rebook it`,
    };
  }
  if (arrival > latest + 1e-6) {
    return {
      stopId,
      code: 'window-unreachable',
      reason: `window closes ${formatClock(latest)} before it can be reached at ${formatClock(arrival, 'up')}`,
    };
  }
  const leave = Math.max(arrival, problem.earliestS[stop] as number) + (problem.serviceS[stop] as number);
  const finish = problem.endNode >= 0 ? leave + travelBetween(problem, node, problem.endNode) : leave;
  if (finish > problem.dayEndS + 1e-6) {
    return {
      stopId,
      code: 'outside-working-day',
      reason: `does not fit in the working day: even on its own the day would finish at ${formatClock(finish, 'up')}, after ${formatClock(problem.dayEndS)}`,
    };
  }
  if (!everyStopTried) {
    return {
      stopId,
      code: 'time-limit',
      reason: 'the planner ran out of time before it could find this stop a place; plan again, or plan fewer stops at once',
    };
  }
  return {
    stopId,
    code: 'no-room',
    reason:
      'does not fit in the working day with the other stops: anywhere it goes, another appointment window or the end of the day would be missed',
  };
}
