/**
 * Hybrid logical clock (Kulkarni et al., 2014). Timestamps order causally even when wall
 * clocks disagree, and a remote timestamp too far ahead of our own wall clock is refused so
 * that one laptop with a bad clock cannot win every later merge.
 *
 * Text form: 15-digit wall milliseconds, 5 base-36 counter digits, node id, joined by ':'.
 * Plain string comparison of two texts orders them like the clocks do.
 */
export interface HlcTimestamp {
  readonly wallMs: number;
  readonly counter: number;
  readonly node: string;
}

export const defaultMaxDriftMs = 5 * 60 * 1000;
const maxCounter = 36 ** 5 - 1;

export class ClockDriftError extends Error {
  constructor(
    readonly remoteWallMs: number,
    readonly localWallMs: number,
  ) {
    const minutes = Math.round((remoteWallMs - localWallMs) / 60000);
    super(`A timestamp is ${minutes} minutes ahead of this clock; check the device's date and time.`);
    this.name = 'ClockDriftError';
  }
}

export function formatHlc(ts: HlcTimestamp): string {
  return `${ts.wallMs.toString().padStart(15, '0')}:${ts.counter.toString(36).padStart(5, '0')}:${ts.node}`;
}

export function parseHlc(text: string): HlcTimestamp | null {
  const match = /^(\d{15}):([0-9a-z]{5}):([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!match) return null;
  return { wallMs: Number(match[1]), counter: parseInt(match[2] ?? '', 36), node: match[3] ?? '' };
}

export class HybridLogicalClock {
  private last: HlcTimestamp;

  constructor(
    private readonly node: string,
    private readonly wallClock: () => number = Date.now,
    private readonly maxDriftMs: number = defaultMaxDriftMs,
  ) {
    this.last = { wallMs: 0, counter: 0, node };
  }

  /** A timestamp for a local event, later than every timestamp seen so far. */
  now(): string {
    const wall = this.wallClock();
    if (wall > this.last.wallMs) {
      this.last = { wallMs: wall, counter: 0, node: this.node };
    } else {
      this.last = this.bump(this.last.wallMs, this.last.counter + 1);
    }
    return formatHlc(this.last);
  }

  /**
   * Folds in a timestamp from elsewhere. Throws ClockDriftError, without changing the clock,
   * when the remote wall time is further ahead than the allowed drift.
   */
  receive(remoteText: string): string {
    const remote = parseHlc(remoteText);
    if (!remote) throw new Error(`Not a hybrid logical clock timestamp: ${remoteText}`);
    const wall = this.wallClock();
    if (remote.wallMs - wall > this.maxDriftMs) throw new ClockDriftError(remote.wallMs, wall);
    const maxWall = Math.max(wall, this.last.wallMs, remote.wallMs);
    let counter: number;
    if (maxWall === this.last.wallMs && maxWall === remote.wallMs) {
      counter = Math.max(this.last.counter, remote.counter) + 1;
    } else if (maxWall === this.last.wallMs) {
      counter = this.last.counter + 1;
    } else if (maxWall === remote.wallMs) {
      counter = remote.counter + 1;
    } else {
      counter = 0;
    }
    this.last = this.bump(maxWall, counter);
    return formatHlc(this.last);
  }

  private bump(wallMs: number, counter: number): HlcTimestamp {
    // Counter overflow means >60 million events in one millisecond; borrow the next one.
    if (counter > maxCounter) return { wallMs: wallMs + 1, counter: 0, node: this.node };
    return { wallMs, counter, node: this.node };
  }
}
