/**
 * How long a search may run. Tests give an iteration cap and no time limit, so the result is
 * the same on every machine; the app gives a time limit. The clock is injected so shared/
 * needs no timer API beyond Date.now, and tests can freeze it.
 */
export interface SearchBudget {
  readonly seed: number;
  readonly maxIterations: number;
  readonly timeLimitMs: number;
  readonly clock: () => number;
}

export const defaultSearchBudget: SearchBudget = {
  seed: 1,
  maxIterations: 1_000_000,
  timeLimitMs: 1500,
  clock: () => Date.now(),
};

export function resolveBudget(partial: Partial<SearchBudget> = {}): SearchBudget {
  return { ...defaultSearchBudget, ...partial };
}

/** True once the time limit has passed; reads the clock only every `every` calls. */
export function deadlineWatch(budget: SearchBudget, every = 8): () => boolean {
  const startedAt = budget.clock();
  let calls = 0;
  let expired = !(budget.timeLimitMs > 0);
  return () => {
    if (expired || !Number.isFinite(budget.timeLimitMs)) return expired;
    if (++calls % every === 0 && budget.clock() - startedAt >= budget.timeLimitMs) expired = true;
    return expired;
  };
}
