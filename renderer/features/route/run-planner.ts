import { planRoute, type RoutePlan, type RoutePlanRequest } from '../../../shared/route';
import type { PlanWorkerAnswer } from './plan-worker';

/** Long enough for a good plan of a day's stops, short enough that "Optimize" feels immediate. */
export const planTimeLimitMs = 1500;

/**
 * Plans in a Web Worker; where workers are unavailable the same search runs on the main
 * thread under the same time budget.
 */
export function runPlanner(request: RoutePlanRequest): Promise<RoutePlan> {
  if (typeof Worker === 'undefined') return Promise.resolve(planRoute(request, { timeLimitMs: planTimeLimitMs, seed: 1 }));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./plan-worker.ts', import.meta.url), { type: 'module' });
    const watchdog = setTimeout(() => {
      worker.terminate();
      reject(new Error('The planner did not answer in time.'));
    }, planTimeLimitMs + 10_000);
    worker.onmessage = (event: MessageEvent<PlanWorkerAnswer>) => {
      clearTimeout(watchdog);
      worker.terminate();
      if (event.data.ok) resolve(event.data.plan);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      clearTimeout(watchdog);
      worker.terminate();
      // A worker that fails to load (a strict CSP, an old webview) must not cost the agent a plan.
      event.preventDefault();
      try {
        resolve(planRoute(request, { timeLimitMs: planTimeLimitMs, seed: 1 }));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    worker.postMessage({ request, timeLimitMs: planTimeLimitMs });
  });
}
