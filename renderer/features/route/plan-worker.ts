import { planRoute, RoutePlanRequest, type RoutePlan } from '../../../shared/route';

export type PlanWorkerAnswer = { ok: true; plan: RoutePlan } | { ok: false; message: string };

/**
 * Runs the planner off the main thread, so the map keeps panning during the search. The
 * request crossed a thread boundary, so it is parsed again here.
 */
// The renderer compiles against DOM types, where `self` is a window; in this file it is a worker.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<{ request: unknown; timeLimitMs: number }>) => void) | null;
  postMessage(answer: PlanWorkerAnswer): void;
};

scope.onmessage = (event) => {
  let answer: PlanWorkerAnswer;
  try {
    const request = RoutePlanRequest.parse(event.data.request);
    answer = { ok: true, plan: planRoute(request, { timeLimitMs: event.data.timeLimitMs, seed: 1 }) };
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(answer);
};
