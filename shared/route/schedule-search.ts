import type { CompiledProblem, SquareTable } from './compiled-problem';
import { firstFitOrder } from './first-fit-order';
import { randomBelow, seededRandom, shuffleInPlace, type RandomSource } from './random';
import { scheduleTables, type ScheduleTables } from './schedule-tables';
import type { Deadline, SearchBudget } from './search-budget';

/**
 * Search for days with time rules: appointment windows (hard, waiting allowed), soft due
 * times, the end of the working day, locked positions, and matrices that need not be
 * symmetric. Every move is checked on the part of the route it changes — the times of the
 * stops after the change — from cached prefix times, so a move that would break a window is
 * never taken.
 *
 * Construction is regret insertion with an O(1) window check (latest feasible service start
 * per position); improvement is Or-opt (segments of 1–3, both orientations), relocate, 2-opt
 * and swap around neighbour lists with don't-look bits; the iterated local search ruins a
 * cluster of nearby stops and recreates it, accepting slightly worse days early on
 * (record-to-record travel) and keeping the best.
 *
 * Days of more than `fullScanUpTo` stops are built by cheapest insertion in one pass (earliest
 * window first, then nearest-neighbour order), and stops are offered only the positions next to
 * their nearest stops and the two ends: trying every position for every stop on every
 * insertion is O(k³), minutes on 1,000 stops.
 *
 * A plan is better when it (1) moves fewer locked stops off their positions, (2) leaves out
 * less priority, (3) costs less (travel in the request's metric plus soft-due penalties).
 *
 * The deadline is checked between moves, insertions and kicks; the day in hand is always
 * feasible, so a cut leaves the best day found so far, or a first-fit day when the time ran
 * out before the search could start.
 */
export interface ScheduleResult {
  /** Stop indices in visiting order. */
  readonly order: Int32Array;
  readonly iterations: number;
  /** False when the deadline passed before every stop had been offered a place. */
  readonly everyStopTried: boolean;
}

const epsilon = 1e-7;
const timeTolerance = 1e-6;
const fullScanUpTo = 250;

interface Score {
  locksBroken: number;
  leftOut: number;
  cost: number;
}

function better(a: Score, b: Score): boolean {
  if (a.locksBroken !== b.locksBroken) return a.locksBroken < b.locksBroken;
  if (Math.abs(a.leftOut - b.leftOut) > 1e-9) return a.leftOut < b.leftOut;
  return a.cost < b.cost - epsilon;
}

export function searchSchedule(
  problem: CompiledProblem,
  budget: SearchBudget,
  deadline: Deadline,
  initialOrders: readonly (readonly number[])[] = [],
): ScheduleResult {
  const tables = scheduleTables(problem, deadline);
  if (tables === null) return { order: Int32Array.from(firstFitOrder(problem)), iterations: 0, everyStopTried: false };
  const search = new ScheduleSearch(problem, tables, seededRandom(budget.seed), deadline);
  const everyStopTried = search.construct(initialOrders);
  search.localSearchAll();
  search.insertLeftOut();
  let current = search.snapshot();
  let best = current;
  let iterations = 0;
  let lastImprovement = 0;
  // Past this many kicks without a better day the search has settled; small days stop early.
  const stallLimit = 2000 + 50 * problem.stopCount;
  // Worse days are accepted less and less, down to none by the end of the search's expected
  // length: counted in iterations rather than read from the clock, so that a seed always walks
  // the same way. Ten per stop is about what the app's 1.5 s gives a day of up to 200 stops
  // on a laptop (3,000 iterations at 100 stops, 2,000 at 200).
  const horizon = Math.min(budget.maxIterations, 10 * problem.stopCount + 500);
  if (problem.stopCount < 3) return { order: search.routeCopy(), iterations, everyStopTried };
  while (iterations < budget.maxIterations && iterations - lastImprovement < stallLimit && !deadline.passed()) {
    iterations++;
    search.ruinAndRecreate();
    search.localSearch();
    search.insertLeftOut();
    const candidate = search.snapshot();
    const threshold = 0.01 * Math.max(0, 1 - iterations / horizon);
    if (better(candidate.score, best.score)) {
      best = candidate;
      lastImprovement = iterations;
    }
    if (
      better(candidate.score, current.score) ||
      (candidate.score.locksBroken <= best.score.locksBroken &&
        candidate.score.leftOut <= best.score.leftOut + 1e-9 &&
        candidate.score.cost <= best.score.cost * (1 + threshold) + epsilon)
    ) {
      current = candidate;
    } else {
      search.restore(current);
    }
  }
  return { order: best.route, iterations, everyStopTried };
}

interface Snapshot {
  readonly route: Int32Array;
  readonly score: Score;
}

class ScheduleSearch {
  private readonly k: number;
  private route: Int32Array;
  private length = 0;
  private readonly position: Int32Array;
  private scratch: Int32Array;
  /** Prefix state: index p holds the state after the first p stops (0 = leaving the start). */
  private readonly departure: Float64Array;
  private readonly place: Int32Array;
  private readonly costBefore: Float64Array;
  private readonly penaltyBefore: Float64Array;
  private readonly locksBefore: Int32Array;
  /** Latest service start at each position that keeps the rest of the day feasible. */
  private readonly latestStart: Float64Array;
  /** 1 when a stop at this position or later has a soft due time (its penalty may change). */
  private readonly dueAfter: Uint8Array;
  /** Read directly in the loops (a wrapper method would not be inlined there). */
  private readonly metricTable: SquareTable;
  private readonly travelTable: SquareTable;
  private readonly neighbours: Int32Array;
  private readonly nk: number;
  /** Marks positions already offered to the stop being placed (see candidatePositions). */
  private readonly offered: Int32Array;
  private offerStamp = 0;
  private readonly candidates: number[] = [];
  private readonly expired: () => boolean;
  private readonly queue: number[] = [];
  private queueHead = 0;
  private readonly queued: Uint8Array;
  private readonly evaluated: Score = { locksBroken: 0, leftOut: 0, cost: 0 };
  private readonly current: Score = { locksBroken: 0, leftOut: 0, cost: 0 };
  private readonly priorityTotal: number;
  /** No soft penalties and no locks: the travel metric alone decides whether a move helps. */
  private readonly metricDecides: boolean;

  constructor(
    private readonly p: CompiledProblem,
    tables: ScheduleTables,
    private readonly random: RandomSource,
    private readonly deadline: Deadline,
  ) {
    this.k = p.stopCount;
    this.route = new Int32Array(this.k + 1);
    this.scratch = new Int32Array(this.k + 1);
    this.position = new Int32Array(this.k).fill(-1);
    this.departure = new Float64Array(this.k + 2);
    this.place = new Int32Array(this.k + 2);
    this.costBefore = new Float64Array(this.k + 2);
    this.penaltyBefore = new Float64Array(this.k + 2);
    this.locksBefore = new Int32Array(this.k + 2);
    this.latestStart = new Float64Array(this.k + 2);
    this.dueAfter = new Uint8Array(this.k + 2);
    this.queued = new Uint8Array(this.k);
    this.metricTable = tables.metric;
    this.travelTable = tables.travelS;
    this.neighbours = tables.neighbours;
    this.nk = tables.neighbourCount;
    this.offered = new Int32Array(this.k + 2);
    // Cheap steps (an insertion, a nearest-neighbour step) check every few; a move's search checks every time.
    this.expired = deadline.every(8);
    let total = 0;
    for (let s = 0; s < this.k; s++) total += p.priority[s] as number;
    this.priorityTotal = total;
    this.metricDecides = !p.hasLocks && !Array.from(p.latePenaltyPerS).some((v) => v > 0);
    this.departure[0] = p.dayStartS;
    this.place[0] = p.startNode;
  }

  routeCopy(): Int32Array {
    return this.route.slice(0, this.length);
  }

  private leftOutPriority(): number {
    let routed = 0;
    for (let i = 0; i < this.length; i++) routed += this.p.priority[this.route[i] as number] as number;
    return Math.max(0, this.priorityTotal - routed);
  }

  score(): Score {
    const end = this.length;
    return {
      locksBroken: this.locksBefore[end] as number,
      leftOut: this.leftOutPriority(),
      cost: this.closingCost(),
    };
  }

  private closingCost(): number {
    const end = this.length;
    const last = this.place[end] as number;
    const closing = this.p.endNode >= 0 ? this.metricTable.at(last, this.p.endNode) : 0;
    return (this.costBefore[end] as number) + (this.penaltyBefore[end] as number) + closing;
  }

  snapshot(): Snapshot {
    return { route: this.route.slice(0, this.length), score: this.score() };
  }

  restore(snapshot: Snapshot): void {
    this.position.fill(-1);
    this.route.set(snapshot.route);
    this.length = snapshot.route.length;
    for (let i = 0; i < this.length; i++) this.position[this.route[i] as number] = i;
    this.recompute(0);
  }

  /**
   * Times a candidate from position `from` on, starting from the cached prefix. The candidate
   * is scratch[from, until) followed by the current route from `until` (so a move only writes
   * what it changes). Past the change, once the day is back on its old timing — or provably
   * feasible with no soft penalties left to change — the rest is taken from the cache.
   * False when a window or the end of the day breaks.
   */
  private evaluate(length: number, from: number, until: number): boolean {
    const p = this.p;
    const sameLength = length === this.length;
    let time = this.departure[from] as number;
    let at = this.place[from] as number;
    let cost = this.costBefore[from] as number;
    let penalty = this.penaltyBefore[from] as number;
    let locks = this.locksBefore[from] as number;
    for (let i = from; i < length; i++) {
      const inChange = i < until;
      const stop = (inChange ? this.scratch[i] : this.route[i]) as number;
      const node = p.node[stop] as number;
      const arrival = time + this.travelTable.at(at, node);
      if (!inChange && sameLength && at === this.place[i]) {
        const onOldTiming = Math.abs(time - (this.departure[i] as number)) <= timeTolerance;
        if (!onOldTiming && arrival > (this.latestStart[i] as number) + timeTolerance) return false;
        if (onOldTiming || (this.dueAfter[i] as number) === 0) {
          const end = this.length;
          this.evaluated.locksBroken = locks + (this.locksBefore[end] as number) - (this.locksBefore[i] as number);
          this.evaluated.cost =
            cost + penalty + this.closingCost() - (this.costBefore[i] as number) - (this.penaltyBefore[i] as number);
          return true;
        }
      }
      if (arrival > (p.latestS[stop] as number) + timeTolerance) return false;
      const start = Math.max(arrival, p.earliestS[stop] as number);
      const late = start - (p.dueByS[stop] as number);
      if (late > 0) penalty += late * (p.latePenaltyPerS[stop] as number);
      cost += this.metricTable.at(at, node);
      const lock = p.lockedPosition[stop] as number;
      if (lock >= 0 && lock !== i) locks++;
      time = start + (p.serviceS[stop] as number);
      at = node;
    }
    if (p.endNode >= 0) {
      cost += this.metricTable.at(at, p.endNode);
      time += this.travelTable.at(at, p.endNode);
    }
    if (time > p.dayEndS + timeTolerance) return false;
    this.evaluated.locksBroken = locks;
    this.evaluated.cost = cost + penalty;
    return true;
  }

  /** Whole-route check of an order, for starting points given from outside. */
  private evaluateOrder(order: Int32Array): boolean {
    this.scratch.set(order);
    return this.evaluate(order.length, 0, order.length);
  }

  /** Rebuilds the prefix caches from position `from` and the latest-start slack. */
  private recompute(from: number): void {
    const p = this.p;
    for (let i = from; i < this.length; i++) {
      const stop = this.route[i] as number;
      const node = p.node[stop] as number;
      const at = this.place[i] as number;
      const arrival = (this.departure[i] as number) + this.travelTable.at(at, node);
      const start = Math.max(arrival, p.earliestS[stop] as number);
      const late = start - (p.dueByS[stop] as number);
      const lock = p.lockedPosition[stop] as number;
      this.penaltyBefore[i + 1] = (this.penaltyBefore[i] as number) + (late > 0 ? late * (p.latePenaltyPerS[stop] as number) : 0);
      this.costBefore[i + 1] = (this.costBefore[i] as number) + this.metricTable.at(at, node);
      this.locksBefore[i + 1] = (this.locksBefore[i] as number) + (lock >= 0 && lock !== i ? 1 : 0);
      this.departure[i + 1] = start + (p.serviceS[stop] as number);
      this.place[i + 1] = node;
    }
    let latest = p.dayEndS;
    let next = p.endNode;
    let dueAfter = 0;
    for (let i = this.length - 1; i >= 0; i--) {
      const stop = this.route[i] as number;
      if ((p.latePenaltyPerS[stop] as number) > 0 && Number.isFinite(p.dueByS[stop] as number)) dueAfter = 1;
      this.dueAfter[i] = dueAfter;
      const node = p.node[stop] as number;
      const toNext = next >= 0 ? this.travelTable.at(node, next) : 0;
      latest = Math.min(p.latestS[stop] as number, latest - toNext - (p.serviceS[stop] as number));
      this.latestStart[i] = latest;
      next = node;
    }
    this.latestStart[this.length] = p.dayEndS;
  }

  /** Takes scratch[from, until) into the route (see evaluate). */
  private apply(length: number, from: number, until: number): void {
    for (let i = from; i < until; i++) this.route[i] = this.scratch[i] as number;
    this.length = length;
    for (let i = from; i < until; i++) this.position[this.route[i] as number] = i;
    this.recompute(from);
  }

  /**
   * Cheapest feasible place for stop `s` between positions q-1 and q, checked in O(1) with
   * the latest-start slack; returns the insertion cost or Infinity. Soft penalties of the
   * stops after q are not counted here; the full evaluation settles them.
   */
  private insertionCost(s: number, q: number): number {
    const p = this.p;
    const node = p.node[s] as number;
    const prev = this.place[q] as number;
    const arrival = (this.departure[q] as number) + this.travelTable.at(prev, node);
    if (arrival > (p.latestS[s] as number) + timeTolerance) return Infinity;
    const start = Math.max(arrival, p.earliestS[s] as number);
    const leave = start + (p.serviceS[s] as number);
    let added: number;
    if (q < this.length) {
      const next = p.node[this.route[q] as number] as number;
      if (leave + this.travelTable.at(node, next) > (this.latestStart[q] as number) + timeTolerance) return Infinity;
      added = this.metricTable.at(prev, node) + this.metricTable.at(node, next) - this.metricTable.at(prev, next);
    } else {
      const end = p.endNode;
      const finish = end >= 0 ? leave + this.travelTable.at(node, end) : leave;
      if (finish > p.dayEndS + timeTolerance) return Infinity;
      const metric = this.metricTable;
      added = end >= 0 ? metric.at(prev, node) + metric.at(node, end) - metric.at(prev, end) : metric.at(prev, node);
    }
    const late = start - (p.dueByS[s] as number);
    return added + (late > 0 ? late * (p.latePenaltyPerS[s] as number) : 0);
  }

  /** Positions where inserting would push no locked stop past its position. */
  private lockRoom(): Int32Array {
    const room = new Int32Array(this.length + 1);
    let smallest = 1 << 30;
    room[this.length] = smallest;
    for (let i = this.length - 1; i >= 0; i--) {
      const lock = this.p.lockedPosition[this.route[i] as number] as number;
      if (lock >= 0) smallest = Math.min(smallest, lock - i);
      room[i] = smallest;
    }
    return room;
  }

  /**
   * Regret insertion: the stop that would lose most by waiting goes in first. Stops still
   * waiting when the deadline passes are left out (the day stays feasible) and it answers
   * false; true when every stop was placed or has no place.
   */
  private insertAll(pending: number[], noise: number): boolean {
    const p = this.p;
    const waiting = [...pending];
    const everywhere = this.k <= fullScanUpTo;
    while (waiting.length > 0) {
      if (this.deadline.passed()) return false;
      const room = p.hasLocks ? this.lockRoom() : null;
      let chosen = -1;
      let chosenAt = -1;
      let chosenScore = -Infinity;
      for (let w = 0; w < waiting.length; w++) {
        // A round offers every waiting stop its places: thousands of stops on a big day.
        if (this.expired()) return false;
        const s = waiting[w] as number;
        const lock = p.lockedPosition[s] as number;
        let best = Infinity;
        let second = Infinity;
        let bestAt = -1;
        const lo = lock >= 0 ? Math.min(lock, this.length) : 0;
        const hi = lock >= 0 ? lo : this.length;
        const positions = lock >= 0 || everywhere ? null : this.candidatePositions(s);
        const count = positions === null ? hi - lo + 1 : positions.length;
        for (let i = 0; i < count; i++) {
          const q = positions === null ? lo + i : (positions[i] as number);
          if (room !== null && (room[q] as number) < 1) continue;
          const c = this.insertionCost(s, q);
          if (c < best) {
            second = best;
            best = c;
            bestAt = q;
          } else if (c < second) {
            second = c;
          }
        }
        if (bestAt < 0) continue;
        const regret = Number.isFinite(second) ? second - best : 1e12;
        const score = (lock >= 0 ? 1e15 : 0) + (p.priority[s] as number) * (regret + 1) * (1 + noise * this.random());
        if (score > chosenScore) {
          chosenScore = score;
          chosen = w;
          chosenAt = bestAt;
        }
      }
      if (chosen < 0) return true;
      const stop = waiting[chosen] as number;
      waiting.splice(chosen, 1);
      this.insertAt(stop, chosenAt);
    }
    return true;
  }

  /** The ends of the day and both sides of each of the stop's nearest stops in the route, each once. */
  private candidatePositions(s: number): readonly number[] {
    const positions = this.candidates;
    positions.length = 0;
    const stamp = ++this.offerStamp;
    const offer = (q: number) => {
      if (this.offered[q] === stamp) return;
      this.offered[q] = stamp;
      positions.push(q);
    };
    offer(0);
    offer(this.length);
    for (let n = 0; n < this.nk; n++) {
      const at = this.position[this.neighbours[s * this.nk + n] as number] as number;
      if (at < 0) continue;
      offer(at);
      offer(at + 1);
    }
    return positions;
  }

  private insertAt(stop: number, q: number): void {
    this.scratch[q] = stop;
    for (let i = q; i < this.length; i++) this.scratch[i + 1] = this.route[i] as number;
    this.apply(this.length + 1, q, this.length + 1);
  }

  private removeStops(stops: readonly number[]): void {
    const drop = new Set(stops);
    let from = this.length;
    let written = 0;
    for (let i = 0; i < this.length; i++) {
      const stop = this.route[i] as number;
      if (drop.has(stop)) {
        from = Math.min(from, i);
        this.position[stop] = -1;
      } else {
        this.scratch[written++] = stop;
      }
    }
    if (from === this.length) return;
    const oldLength = this.length;
    this.route.set(this.scratch.subarray(0, written));
    this.length = written;
    for (let i = written; i < oldLength; i++) this.route[i] = 0;
    for (let i = from; i < written; i++) this.position[this.route[i] as number] = i;
    this.recompute(from);
  }

  /**
   * The first day: locked stops, then the rest (see the header for how, by size), then the
   * best of that, the orders given and a nearest-neighbour order. False when the deadline
   * passed before every stop was offered a place; a first-fit order then competes too.
   */
  construct(initialOrders: readonly (readonly number[])[]): boolean {
    const p = this.p;
    const all = Array.from({ length: this.k }, (_, i) => i);
    const locked = all.filter((s) => (p.lockedPosition[s] as number) >= 0);
    locked.sort((a, b) => (p.lockedPosition[a] as number) - (p.lockedPosition[b] as number));
    this.recompute(0);
    const nearest = this.nearestNeighbourOrder();
    let finished = this.insertAll(locked, 0);
    if (finished && this.k <= fullScanUpTo) {
      finished = this.insertAll(all.filter((s) => (p.lockedPosition[s] as number) < 0), 0);
    } else if (finished) {
      const rank = new Int32Array(this.k);
      (nearest ?? all).forEach((s, i) => (rank[s] = i));
      const free = all.filter((s) => (p.lockedPosition[s] as number) < 0);
      free.sort((a, b) => (p.latestS[a] as number) - (p.latestS[b] as number) || (rank[a] as number) - (rank[b] as number));
      finished = this.insertInTurn(free);
    }
    let best = this.snapshot();
    const others = [...initialOrders, ...(nearest === null ? [] : [nearest]), ...(finished ? [] : [firstFitOrder(p)])];
    for (const order of others) {
      const candidate = Int32Array.from(order);
      if (candidate.length !== order.length || !this.evaluateOrder(candidate)) continue;
      const score = { locksBroken: this.evaluated.locksBroken, leftOut: this.leftOutOf(candidate), cost: this.evaluated.cost };
      if (better(score, best.score)) best = { route: candidate, score };
    }
    this.restore(best);
    return finished;
  }

  /** Cheapest insertion, one stop at a time in the order given; false when the deadline cut it short. */
  private insertInTurn(order: readonly number[]): boolean {
    for (const s of order) {
      if (this.expired()) return false;
      const room = this.p.hasLocks ? this.lockRoom() : null;
      let best = Infinity;
      let bestAt = -1;
      for (const q of this.candidatePositions(s)) {
        if (room !== null && (room[q] as number) < 1) continue;
        const c = this.insertionCost(s, q);
        if (c < best) {
          best = c;
          bestAt = q;
        }
      }
      if (bestAt >= 0) this.insertAt(s, bestAt);
    }
    return true;
  }

  private leftOutOf(order: Int32Array): number {
    let routed = 0;
    for (const s of order) routed += this.p.priority[s] as number;
    return Math.max(0, this.priorityTotal - routed);
  }

  /**
   * Every stop, each next the nearest not yet visited; null when the deadline cut it short.
   * Big days take the next from the last stop's nearest-stop list when one is still free
   * (a full scan only when none is), which is O(k) a step only rarely.
   */
  private nearestNeighbourOrder(): number[] | null {
    const used = new Uint8Array(this.k);
    const order: number[] = [];
    let at = this.p.startNode;
    let last = -1;
    for (let step = 0; step < this.k; step++) {
      if (this.expired()) return null;
      let best = -1;
      if (last >= 0 && this.k > fullScanUpTo) {
        for (let n = 0; n < this.nk && best < 0; n++) {
          const s = this.neighbours[last * this.nk + n] as number;
          if (used[s] === 0) best = s;
        }
      }
      if (best < 0) {
        let bestCost = Infinity;
        for (let s = 0; s < this.k; s++) {
          const c = this.metricTable.at(at, this.p.node[s] as number);
          if (used[s] === 0 && c < bestCost) {
            best = s;
            bestCost = c;
          }
        }
      }
      used[best] = 1;
      order.push(best);
      at = this.p.node[best] as number;
      last = best;
    }
    return order;
  }

  /** Puts back stops left out, wherever they now fit; more stops always beats shorter. */
  insertLeftOut(): void {
    if (this.length === this.k) return;
    const leftOut: number[] = [];
    for (let s = 0; s < this.k; s++) if ((this.position[s] as number) < 0) leftOut.push(s);
    this.insertAll(leftOut, 0);
    for (const s of leftOut) {
      const at = this.position[s] as number;
      if (at < 0) continue;
      this.push(s);
      this.push(this.neighbourAt(at - 1));
      this.push(this.neighbourAt(at + 1));
    }
    this.localSearch();
  }

  ruinAndRecreate(): void {
    const p = this.p;
    if (this.length < 2) {
      this.insertLeftOut();
      return;
    }
    const seed = this.route[randomBelow(this.random, this.length)] as number;
    const count = 2 + randomBelow(this.random, Math.max(1, Math.min(12, Math.floor(this.length / 4))));
    const removed: number[] = [];
    const candidates = [seed, ...Array.from(this.neighbours.subarray(seed * this.nk, (seed + 1) * this.nk))];
    for (const s of candidates) {
      if (removed.length >= count) break;
      if ((this.position[s] as number) >= 0 && (p.lockedPosition[s] as number) < 0) removed.push(s);
    }
    const touched = new Set<number>();
    for (const s of removed) {
      const at = this.position[s] as number;
      if (at > 0) touched.add(this.route[at - 1] as number);
      if (at + 1 < this.length) touched.add(this.route[at + 1] as number);
    }
    this.removeStops(removed);
    const leftOut: number[] = [];
    for (let s = 0; s < this.k; s++) if ((this.position[s] as number) < 0) leftOut.push(s);
    this.insertAll(shuffleInPlace(leftOut, this.random), 0.3);
    for (const s of [...removed, ...touched]) if ((this.position[s] as number) >= 0) this.push(s);
  }

  private push(stop: number): void {
    if (stop < 0 || this.queued[stop] === 1) return;
    this.queued[stop] = 1;
    this.queue.push(stop);
  }

  localSearchAll(): void {
    const order = shuffleInPlace(Array.from(this.route.subarray(0, this.length)), this.random);
    for (const s of order) this.push(s);
    this.localSearch();
  }

  /** Improving moves until none is left or the deadline passes (what is still queued is then dropped). */
  localSearch(): void {
    while (this.queueHead < this.queue.length) {
      const stop = this.queue[this.queueHead++] as number;
      this.queued[stop] = 0;
      if ((this.position[stop] as number) < 0) continue;
      // One stop's moves can time a long day hundreds of times: the clock is read for each.
      if (this.deadline.passed()) break;
      if (this.orOpt(stop) || this.twoOpt(stop) || this.swap(stop)) this.push(stop);
    }
    for (let i = this.queueHead; i < this.queue.length; i++) this.queued[this.queue[i] as number] = 0;
    this.queue.length = 0;
    this.queueHead = 0;
  }

  /**
   * Whether the candidate in scratch (same length as the route) is feasible and better. Past
   * the deadline nothing improves: one stop's moves may time a long day with soft due times
   * hundreds of times over, tens of milliseconds on thousands of stops, so the clock is read
   * between candidates too, not only between stops.
   */
  private improves(from: number, until: number): boolean {
    if (this.expired()) return false;
    this.current.locksBroken = this.locksBefore[this.length] as number;
    this.current.cost = this.closingCost();
    return this.evaluate(this.length, from, until) && better(this.evaluated, this.current);
  }

  /** Takes the candidate in scratch; `touched` (stops whose surroundings change) are re-examined. */
  private commit(from: number, until: number, touched: readonly number[]): true {
    for (const s of touched) if (s >= 0) this.push(s);
    this.apply(this.length, from, until);
    return true;
  }

  /** The place at a route position; the start before the first, the end (or -1) after the last. */
  private placeAt(position: number): number {
    if (position < 0) return this.p.startNode;
    if (position >= this.length) return this.p.endNode;
    return this.p.node[this.route[position] as number] as number;
  }

  /** Metric of a leg; a leg to "no end" (the day ends at the last stop) is free. */
  private leg(from: number, to: number): number {
    return to < 0 ? 0 : this.metricTable.at(from, to);
  }

  /**
   * Change in travel metric when route[i..i+length) moves to index q of the route without it.
   * Without soft penalties and locks this is the whole change in the score, so a move that
   * does not shorten the day is skipped before its times are checked.
   */
  private segmentMoveDelta(i: number, length: number, q: number, reversed: boolean): number {
    const first = this.placeAt(i);
    const last = this.placeAt(i + length - 1);
    const before = this.placeAt(i - 1);
    const after = this.placeAt(i + length);
    const a = this.placeAt(q - 1 < i ? q - 1 : q - 1 + length);
    const b = this.placeAt(q < i ? q : q + length);
    let internal = 0;
    if (reversed) {
      for (let j = i; j < i + length - 1; j++) {
        const x = this.placeAt(j);
        const y = this.placeAt(j + 1);
        internal += this.metricTable.at(y, x) - this.metricTable.at(x, y);
      }
    }
    const inFirst = reversed ? last : first;
    const inLast = reversed ? first : last;
    return (
      this.leg(before, after) - this.metricTable.at(before, first) - this.leg(last, after) +
      this.metricTable.at(a, inFirst) + this.leg(inLast, b) - this.leg(a, b) + internal
    );
  }

  private neighbourAt(position: number): number {
    return position >= 0 && position < this.length ? (this.route[position] as number) : -1;
  }

  /** Segments of 1–3 stops starting or ending at `stop`, moved next to a neighbour, either way round. */
  private orOpt(stop: number): boolean {
    const at = this.position[stop] as number;
    for (let length = 1; length <= 3 && length < this.length; length++) {
      for (let side = 0; side < (length === 1 ? 1 : 2); side++) {
        const i = side === 0 ? at : at - length + 1;
        if (i < 0 || i + length > this.length) continue;
        const targets: number[] = [0, this.length - length];
        for (const end of [this.route[i] as number, this.route[i + length - 1] as number]) {
          for (let n = 0; n < this.nk; n++) {
            const c = this.neighbours[end * this.nk + n] as number;
            const pc = this.position[c] as number;
            if (pc < 0 || (pc >= i && pc < i + length)) continue;
            const reduced = pc < i ? pc : pc - length;
            targets.push(reduced, reduced + 1);
          }
        }
        for (const q of targets) {
          for (let reversed = 0; reversed < (length === 1 ? 1 : 2); reversed++) {
            if (q === i && reversed === 0) continue;
            if (this.metricDecides && this.segmentMoveDelta(i, length, q, reversed === 1) > -epsilon) continue;
            const from = this.buildSegmentMove(i, length, q, reversed === 1);
            const until = q <= i ? i + length : q + length;
            if (this.improves(from, until)) {
              const after = q < i ? q : q + length;
              return this.commit(from, until, [
                this.neighbourAt(i - 1),
                this.neighbourAt(i + length),
                this.neighbourAt(after - 1),
                this.neighbourAt(after),
                ...this.route.subarray(i, i + length),
              ]);
            }
          }
        }
      }
    }
    return false;
  }

  /** Writes into scratch the changed stretch of the route with route[i..i+length) moved to index q of the reduced route. */
  private buildSegmentMove(i: number, length: number, q: number, reversed: boolean): number {
    const r = this.route;
    const out = this.scratch;
    if (q <= i) {
      for (let j = q; j < i; j++) out[j + length] = r[j] as number;
    } else {
      for (let j = i; j < q; j++) out[j] = r[j + length] as number;
    }
    for (let s = 0; s < length; s++) out[q + s] = r[reversed ? i + length - 1 - s : i + s] as number;
    return q <= i ? q : i;
  }

  /** Reverses the stretch that makes `stop` and a neighbour consecutive. */
  private twoOpt(stop: number): boolean {
    const at = this.position[stop] as number;
    for (let n = 0; n < this.nk; n++) {
      const c = this.neighbours[stop * this.nk + n] as number;
      const pc = this.position[c] as number;
      if (pc < 0) continue;
      let lo: number;
      let hi: number;
      if (pc > at + 1) {
        lo = at + 1;
        hi = pc;
      } else if (pc < at - 1) {
        lo = pc;
        hi = at - 1;
      } else {
        continue;
      }
      for (let j = lo; j <= hi; j++) this.scratch[j] = this.route[hi - (j - lo)] as number;
      if (this.improves(lo, hi + 1)) {
        return this.commit(lo, hi + 1, [stop, c, this.neighbourAt(lo - 1), this.neighbourAt(hi + 1), this.route[lo] as number, this.route[hi] as number]);
      }
    }
    return false;
  }

  /** Exchanges `stop` with the stop next to one of its neighbours. */
  private swap(stop: number): boolean {
    const at = this.position[stop] as number;
    for (let n = 0; n < this.nk; n++) {
      const c = this.neighbours[stop * this.nk + n] as number;
      const pc = this.position[c] as number;
      if (pc < 0) continue;
      for (const other of [pc - 1, pc + 1]) {
        if (other < 0 || other >= this.length || other === at) continue;
        const lo = Math.min(at, other);
        const hi = Math.max(at, other);
        for (let j = lo; j <= hi; j++) this.scratch[j] = this.route[j] as number;
        this.scratch[lo] = this.route[hi] as number;
        this.scratch[hi] = this.route[lo] as number;
        if (this.improves(lo, hi + 1)) {
          return this.commit(lo, hi + 1, [
            stop,
            this.route[other] as number,
            this.neighbourAt(lo - 1),
            this.neighbourAt(lo + 1),
            this.neighbourAt(hi - 1),
            this.neighbourAt(hi + 1),
          ]);
        }
      }
    }
    return false;
  }
}
