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

/**
 * The time limit as a moment, fixed when planning starts, so that reading the matrix, the
 * neighbour lists and the construction spend the same budget as the search. Every phase asks
 * it between small steps of work; once it has passed, each phase hands back what it has (a
 * rough but feasible order) and the planner returns.
 *
 * The clock decides where the work stops and, in the tour search, how readily a longer tour
 * is taken as time runs out (see improveTour); never anything else. A plan differs from
 * another run with the same seed and the same clock readings in nothing, and with an
 * iteration cap and no time limit it is the same on every machine.
 */
export class Deadline {
  readonly startedAt: number;
  private readonly endsAt: number;
  private passedAt: number | null = null;

  constructor(
    private readonly clock: () => number,
    timeLimitMs: number,
  ) {
    this.startedAt = clock();
    // NaN, zero or a negative limit leaves no time at all; Infinity never runs out.
    this.endsAt = timeLimitMs > 0 ? this.startedAt + timeLimitMs : -Infinity;
    if (this.endsAt === -Infinity) this.passedAt = this.startedAt;
  }

  static of(budget: SearchBudget): Deadline {
    return new Deadline(budget.clock, budget.timeLimitMs);
  }

  /** Reads the clock (unless the deadline has already passed); true from then on. */
  passed(): boolean {
    if (this.passedAt !== null) return true;
    if (this.endsAt === Infinity) return false;
    const now = this.clock();
    if (now < this.endsAt) return false;
    this.passedAt = now;
    return true;
  }

  /** Whether any check found the time up: the budget, not the search, ended the work. */
  get reached(): boolean {
    return this.passedAt !== null;
  }

  /** Milliseconds left: Infinity without a limit, 0 once passed. Lets a search pace itself. */
  remainingMs(): number {
    if (this.endsAt === Infinity) return Infinity;
    if (this.passedAt !== null) return 0;
    return Math.max(0, this.endsAt - this.clock());
  }

  elapsedMs(): number {
    return this.clock() - this.startedAt;
  }

  /**
   * For loops whose steps take well under a microsecond: reads the clock every `stride`
   * calls only, so the check costs nothing next to the work it guards.
   */
  every(stride: number): () => boolean {
    let calls = 0;
    return () => {
      if (this.passedAt !== null) return true;
      if (++calls < stride) return false;
      calls = 0;
      return this.passed();
    };
  }
}
