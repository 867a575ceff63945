import { travelBetween, type CompiledProblem } from './compiled-problem';

const timeTolerance = 1e-6;

/**
 * The plan when the deadline leaves no time to search: the stops in the order they were
 * given, locked stops at their positions, each kept only when its window and the end of the
 * day still hold with it. Rough, but every rule it keeps is kept, and it reads only the legs
 * it walks, so it costs O(stops) on any size of matrix.
 */
export function firstFitOrder(problem: CompiledProblem): number[] {
  const k = problem.stopCount;
  const free: number[] = [];
  const locked: number[] = [];
  for (let s = 0; s < k; s++) ((problem.lockedPosition[s] as number) >= 0 ? locked : free).push(s);
  locked.sort((a, b) => (problem.lockedPosition[a] as number) - (problem.lockedPosition[b] as number));
  const given: number[] = [];
  let nextFree = 0;
  for (const s of locked) {
    while (given.length < (problem.lockedPosition[s] as number) && nextFree < free.length) given.push(free[nextFree++] as number);
    given.push(s);
  }
  while (nextFree < free.length) given.push(free[nextFree++] as number);

  const order: number[] = [];
  let time = problem.dayStartS;
  let at = problem.startNode;
  for (const s of given) {
    const node = problem.node[s] as number;
    const arrival = time + travelBetween(problem, at, node);
    if (arrival > (problem.latestS[s] as number) + timeTolerance) continue;
    const leave = Math.max(arrival, problem.earliestS[s] as number) + (problem.serviceS[s] as number);
    const finish = problem.endNode >= 0 ? leave + travelBetween(problem, node, problem.endNode) : leave;
    if (finish > problem.dayEndS + timeTolerance) continue;
    order.push(s);
    time = leave;
    at = node;
  }
  return order;
}
