import { travelBetween, type CompiledProblem } from './compiled-problem';
import { relativeClock, unplacedWords, type DayClock, type UnplacedFacts } from './route-words';

export type UnplacedCode = 'window-unreachable' | 'appointment-later-day' | 'outside-working-day' | 'no-room' | 'time-limit';

export interface UnplacedStop {
  readonly stopId: string;
  readonly code: UnplacedCode;
  /** For the agent: why this stop is not in today's plan (times relative to the day; see `facts`). */
  readonly reason: string;
  /** The times behind the reason, so an app can say them on its calendar ("Thursday 13:20"). */
  readonly facts: UnplacedFacts;
}

const codeOf: Record<UnplacedFacts['code'], UnplacedCode> = {
  'window-closed': 'window-unreachable',
  'window-unreachable': 'window-unreachable',
  'appointment-later-day': 'appointment-later-day',
  'outside-working-day': 'outside-working-day',
  'time-limit': 'time-limit',
  'no-room': 'no-room',
};

/**
 * Why a stop was left out, checked from the simplest cause: did its window close before the
 * day even starts (planned late in the day)? Is the appointment on a later day, opening after
 * this day ends? Even driving there first thing, is it shut? Even alone, does it fit in the
 * day? Otherwise the other stops' appointments and the end of the day leave it no room —
 * unless the time limit ran out before every stop was offered a place (`everyStopTried`
 * false), when that is the honest answer.
 */
export function explainUnplaced(problem: CompiledProblem, stop: number, everyStopTried = true, clock: DayClock = relativeClock): UnplacedStop {
  const stopId = problem.request.stops[stop]?.id ?? String(stop);
  const facts = unplacedFacts(problem, stop, everyStopTried);
  return { stopId, code: codeOf[facts.code], reason: unplacedWords(facts, clock), facts };
}

function unplacedFacts(problem: CompiledProblem, stop: number, everyStopTried: boolean): UnplacedFacts {
  const node = problem.node[stop] as number;
  const arrival = problem.dayStartS + travelBetween(problem, problem.startNode, node);
  const earliest = problem.earliestS[stop] as number;
  const latest = problem.latestS[stop] as number;
  if (latest < problem.dayStartS) return { code: 'window-closed', latestS: latest, dayStartS: problem.dayStartS };
  if (earliest >= problem.dayEndS) return { code: 'appointment-later-day', earliestS: earliest, dayEndS: problem.dayEndS };
  if (arrival > latest + 1e-6) return { code: 'window-unreachable', arrivalS: arrival, latestS: latest };
  const start = Math.max(arrival, earliest);
  const leave = start + (problem.serviceS[stop] as number);
  const finish = problem.endNode >= 0 ? leave + travelBetween(problem, node, problem.endNode) : leave;
  if (finish > problem.dayEndS + 1e-6) return { code: 'outside-working-day', arrivalS: start, finishS: finish, dayEndS: problem.dayEndS };
  if (!everyStopTried) return { code: 'time-limit' };
  return { code: 'no-room' };
}
