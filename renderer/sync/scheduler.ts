/** Why a round runs: `byPerson` when someone pressed "Sync now" or the network came back. */
export interface RoundRequest {
  readonly byPerson: boolean;
}

export interface SchedulerOptions {
  /** One sync round; throws on failure so the scheduler backs off. */
  run: (request: RoundRequest) => Promise<void>;
  /** Whether waiting can fix this failure; if not, only a person (sync now, sign in, online) restarts it. */
  isRetryable?: (error: unknown) => boolean;
  intervalMs?: number;
  debounceMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  /** When the next round runs after a failed one (null: none is planned, or the last round succeeded). */
  onRetryPlanned?: (at: Date | null) => void;
}

/**
 * When to sync: at start, every interval, shortly after local writes, on demand. Never two
 * rounds at once: a request during a round runs one more round right after it. Failures back
 * off exponentially with jitter, so a fleet of vans coming back into coverage together does
 * not hammer the server in step.
 */
export class SyncScheduler {
  private readonly options: Required<SchedulerOptions>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private runAgain = false;
  /** A person asked for a round that has not started yet. */
  private personAsked = false;
  private failures = 0;
  private halted = false;
  private stopped = true;

  constructor(options: SchedulerOptions) {
    this.options = {
      isRetryable: () => true,
      intervalMs: 20_000,
      debounceMs: 1_000,
      minBackoffMs: 2_000,
      maxBackoffMs: 5 * 60_000,
      random: Math.random,
      onRetryPlanned: () => undefined,
      ...options,
    };
  }

  start(): void {
    this.stopped = false;
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
  }

  /** After a local write: waits a moment so a burst of edits goes out in one push. */
  requestSoon(): void {
    if (this.stopped) return;
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.syncNow();
    }, this.options.debounceMs);
  }

  /**
   * Runs a round now (or right after the current one); resolves when it has finished.
   * `byPerson` marks the round as asked for by someone, which the round may act on (retrying
   * uploads at once); it also survives a failed round in flight, which a timer's request does not.
   */
  syncNow(request: RoundRequest = { byPerson: false }): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.halted = false;
    if (request.byPerson) this.personAsked = true;
    if (this.inFlight) {
      this.runAgain = true;
      return this.inFlight;
    }
    this.clearTimers();
    this.inFlight = this.runRounds().finally(() => {
      this.inFlight = null;
      this.scheduleNext();
    });
    return this.inFlight;
  }

  private async runRounds(): Promise<void> {
    do {
      this.runAgain = false;
      const byPerson = this.personAsked;
      this.personAsked = false;
      try {
        await this.options.run({ byPerson });
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.halted = !this.options.isRetryable(error);
        // A timer's request made during a failed round would fail the same way; let the back-off
        // decide. A person's is different: their round retries what the failed one was waiting on.
        this.runAgain = this.personAsked;
      }
    } while (this.runAgain && !this.stopped);
  }

  private scheduleNext(): void {
    if (this.stopped || this.halted) {
      this.options.onRetryPlanned(null);
      return;
    }
    const delay = this.failures === 0 ? this.options.intervalMs : this.backoffDelay();
    this.options.onRetryPlanned(this.failures === 0 ? null : new Date(Date.now() + delay));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNow();
    }, delay);
  }

  /** "Equal jitter": half the exponential delay fixed, half random. */
  private backoffDelay(): number {
    const { minBackoffMs, maxBackoffMs, random } = this.options;
    const exponential = Math.min(maxBackoffMs, minBackoffMs * 2 ** (this.failures - 1));
    return exponential / 2 + random() * (exponential / 2);
  }

  private clearTimers(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    this.timer = null;
    this.debounceTimer = null;
  }
}
