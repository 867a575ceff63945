import { randomBelow, seededRandom, shuffleInPlace, type RandomSource } from './random';
import type { Deadline, SearchBudget } from './search-budget';
import type { TourCosts } from './tour-costs';

/**
 * Iterated local search for the symmetric travelling-salesman tour: 2-opt deepened to
 * sequential 3-opt (two flips) and Or-opt (segments of 1–3 moved to either orientation),
 * driven by neighbour lists and don't-look bits, kicked by a localised double bridge,
 * accepting sideways moves and, ever more rarely, longer tours (see improveTour), keeping the
 * best.
 * This is the planner's engine when no time rules apply. In 1.5 s it reaches the proven
 * optima of TSPLIB's berlin52, kroA100 and ch150, and ends about 0.3% above pr1002's on a
 * loaded 2-core machine (see tests/bench).
 *
 * The tour is a cycle over nodes 0..m-1 with symmetric costs (see tour-costs.ts).
 */
export interface TourResult {
  readonly tour: Int32Array;
  readonly cost: number;
  readonly iterations: number;
}

const epsilon = 1e-7;
/** How many nearest neighbours each node's moves look at. */
export const tourNeighbourCount = 10;

export function tourCost(cost: Float64Array, m: number, tour: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < tour.length; i++) {
    total += cost[(tour[i] as number) * m + (tour[(i + 1) % tour.length] as number)] as number;
  }
  return total;
}

/** Nearest-neighbour tour from node 0 of a flat table: the classic baseline the bench prints. */
export function nearestNeighbourTour(cost: Float64Array, m: number): Int32Array {
  const tour = new Int32Array(m);
  const used = new Uint8Array(m);
  let current = 0;
  used[0] = 1;
  for (let i = 1; i < m; i++) {
    let best = -1;
    let bestCost = Infinity;
    for (let j = 0; j < m; j++) {
      const c = cost[current * m + j] as number;
      if (used[j] === 0 && c < bestCost) {
        best = j;
        bestCost = c;
      }
    }
    tour[i] = best;
    used[best] = 1;
    current = best;
  }
  return tour;
}

/**
 * Improves `initial` until the iteration cap, the stall limit or the deadline. `neighbours`
 * holds each node's `k` nearest others (see nearestNeighbourLists). Every move and kick is
 * whole when the deadline stops the search, so the tour returned is always a tour: the
 * shortest one the search held, whatever tour it was on when it stopped.
 *
 * A kick that leaves the tour longer by δ is still kept with probability e^(−δ/T), the
 * temperature T falling from a quarter of the first local optimum's mean edge to zero as
 * the budget is spent (kicks or time, whichever runs out first). Keeping only equal or
 * shorter tours, pr1002 stopped improving halfway through its 1.5 s, some seeds stuck 2.7%
 * above the optimum; the search now leaves such hollows early and settles at the end.
 * With a time limit the clock thus paces the acceptance too, not only where the search
 * stops; with an iteration cap and no time limit a seed still gives one tour everywhere.
 */
export function improveTour(
  costs: TourCosts,
  initial: Int32Array,
  neighbours: Int32Array,
  k: number,
  budget: SearchBudget,
  deadline: Deadline,
): TourResult {
  const m = costs.m;
  const random = seededRandom(budget.seed);
  const search = new TourSearch(costs, initial, neighbours, k, random, deadline);
  search.queueAll();
  search.localSearch();
  let currentCost = search.cost;
  let bestCost = currentCost;
  const best = Int32Array.from(search.tour);
  const startTemperature = (0.25 * currentCost) / m;
  const searchMs = deadline.remainingMs();
  const temperature = (iterations: number): number => {
    const spentKicks = iterations / budget.maxIterations;
    const spentTime = searchMs === Infinity ? 0 : 1 - deadline.remainingMs() / searchMs;
    return startTemperature * (1 - Math.min(1, Math.max(spentKicks, spentTime)));
  };
  let iterations = 0;
  let lastImprovement = 0;
  // Past this many kicks without a shorter tour the search has settled; small tours stop early.
  const stallLimit = 20_000 + 200 * m;
  while (iterations < budget.maxIterations && iterations - lastImprovement < stallLimit && !deadline.passed()) {
    iterations++;
    search.startJournal();
    search.doubleBridge();
    search.localSearch();
    const longer = search.cost - currentCost;
    if (longer < epsilon || random() < Math.exp(-longer / temperature(iterations))) {
      currentCost = search.cost;
      if (currentCost < bestCost - epsilon) {
        bestCost = currentCost;
        best.set(search.tour);
        lastImprovement = iterations;
      }
    } else {
      search.undoJournal(currentCost);
    }
  }
  return { tour: best, cost: cycleCost(costs, best), iterations };
}

function cycleCost(costs: TourCosts, tour: Int32Array): number {
  let total = 0;
  for (let i = 0; i < tour.length; i++) total += costs.dist(tour[i] as number, tour[(i + 1) % tour.length] as number);
  return total;
}

/**
 * The tour is an array of nodes with each node's position beside it. Every change is a
 * reversal of a stretch of positions: a 2-opt move is one, moving a segment (Or-opt) or
 * swapping two segments (the kick) is two or three. A kick that does not pay is undone by
 * replaying its reversals backwards, which costs what the kick and its repair cost rather
 * than a copy of the whole tour — on a 1,000-stop day that is most of the difference.
 */
class TourSearch {
  readonly tour: Int32Array;
  private readonly m: number;
  /** The flat table when there is one: read inline, the loops' hottest path. */
  private readonly flat: Float64Array | null;
  private readonly pos: Int32Array;
  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private head = 0;
  private length = 0;
  /** Start and length of each reversal since the kick, while a kick is on trial. */
  private journal = new Int32Array(256);
  private journalLength = -1;
  private readonly expired: () => boolean;
  cost: number;

  constructor(
    private readonly costs: TourCosts,
    initial: Int32Array,
    private readonly neighbours: Int32Array,
    private readonly k: number,
    private readonly random: RandomSource,
    deadline: Deadline,
  ) {
    const m = costs.m;
    this.m = m;
    this.flat = costs.flat;
    this.tour = Int32Array.from(initial);
    this.pos = new Int32Array(m);
    this.tour.forEach((node, i) => (this.pos[node] = i));
    this.queue = new Int32Array(m);
    this.queued = new Uint8Array(m);
    this.cost = cycleCost(costs, this.tour);
    // A node's moves cost at most a few reversals, microseconds even on 5,000 stops.
    this.expired = deadline.every(16);
  }

  private dist(a: number, b: number): number {
    const flat = this.flat;
    return flat !== null ? (flat[a * this.m + b] as number) : this.costs.dist(a, b);
  }

  private succ(node: number): number {
    const p = (this.pos[node] as number) + 1;
    return this.tour[p === this.m ? 0 : p] as number;
  }

  private pred(node: number): number {
    const p = this.pos[node] as number;
    return this.tour[p === 0 ? this.m - 1 : p - 1] as number;
  }

  push(node: number): void {
    if (this.queued[node] === 1) return;
    this.queued[node] = 1;
    this.queue[(this.head + this.length) % this.m] = node;
    this.length++;
  }

  queueAll(): void {
    const order = shuffleInPlace(Array.from({ length: this.m }, (_, i) => i), this.random);
    for (const node of order) this.push(node);
  }

  private pop(): number {
    const node = this.queue[this.head] as number;
    this.head = (this.head + 1) % this.m;
    this.length--;
    this.queued[node] = 0;
    return node;
  }

  /** Improving moves until none is left or the deadline passes (the queue is then dropped). */
  localSearch(): void {
    while (this.length > 0) {
      if (this.expired()) {
        while (this.length > 0) this.pop();
        return;
      }
      const a = this.pop();
      if (this.flipMove(a) || this.orOpt(a)) this.push(a);
    }
  }

  startJournal(): void {
    this.journalLength = 0;
  }

  /** Puts the tour back as it was at startJournal, and its cost with it. */
  undoJournal(savedCost: number): void {
    const entries = this.journalLength;
    this.journalLength = -1;
    for (let e = entries - 2; e >= 0; e -= 2) this.reverseSpan(this.journal[e] as number, this.journal[e + 1] as number);
    this.cost = savedCost;
  }

  /** Reverses `span` positions from position `start` (wrapping round). */
  private reverseSpan(start: number, span: number): void {
    const m = this.m;
    if (this.journalLength >= 0) {
      if (this.journalLength + 2 > this.journal.length) {
        const grown = new Int32Array(this.journal.length * 2);
        grown.set(this.journal);
        this.journal = grown;
      }
      this.journal[this.journalLength++] = start;
      this.journal[this.journalLength++] = span;
    }
    let i = start;
    let j = (start + span - 1) % m;
    for (let s = 0; s < span >> 1; s++) {
      const x = this.tour[i] as number;
      const y = this.tour[j] as number;
      this.tour[i] = y;
      this.pos[y] = i;
      this.tour[j] = x;
      this.pos[x] = j;
      i = i + 1 === m ? 0 : i + 1;
      j = j === 0 ? m - 1 : j - 1;
    }
  }

  /** Reverses the tour between positions i and j (inclusive, going forward), or the rest of the cycle when that is shorter: the same tour either way. */
  private reverse(i: number, j: number): void {
    const m = this.m;
    const span = ((j - i + m) % m) + 1;
    if (span * 2 > m) this.reverseSpan((j + 1) % m, m - span);
    else this.reverseSpan(i, span);
  }

  /**
   * Swaps the adjacent blocks X (`a` positions from `start`) and Y (the `b` after it): X Y
   * becomes Y X, each read forwards unless flipped.
   */
  private swapBlocks(start: number, a: number, b: number, flipX: boolean, flipY: boolean): void {
    this.reverseSpan(start, a + b);
    if (!flipY) this.reverseSpan(start, b);
    if (!flipX) this.reverseSpan((start + b) % this.m, a);
  }

  /**
   * A 2-opt move from `a`, or when closing it gains nothing, a sequential 3-opt move made of
   * two 2-opt flips (Lin–Kernighan to depth 3), scored before anything is flipped. a drops its
   * tour edge (a, b) for (a, c), and c drops (c, d); 2-opt closes with (b, d). Going one step
   * deeper, d reaches a near neighbour e instead, and e's tour edge (f, e) — f being e's
   * predecessor in the tour as the first flip leaves it — gives way to (f, b). Local optima of
   * 2-opt and Or-opt are full of such moves; the kicks alone find them slowly.
   */
  private flipMove(a: number): boolean {
    const m = this.m;
    for (let direction = 0; direction < 2; direction++) {
      const forward = direction === 0;
      const b = forward ? this.succ(a) : this.pred(a);
      const ab = this.dist(a, b);
      for (let n = 0; n < this.k; n++) {
        const c = this.neighbours[a * this.k + n] as number;
        const g1 = ab - this.dist(a, c);
        if (g1 <= epsilon) break;
        const d = forward ? this.succ(c) : this.pred(c);
        if (c === b || d === a) continue;
        const open = g1 + this.dist(c, d);
        const gain = open - this.dist(b, d);
        if (gain > epsilon) {
          this.flip(a, b, c, d);
          this.cost -= gain;
          this.push(b);
          this.push(c);
          this.push(d);
          return true;
        }
        // The first flip turns round the stretch b … c (as read in this direction).
        const from = (forward ? this.pos[b] : this.pos[c]) as number;
        const span = ((((forward ? this.pos[c] : this.pos[b]) as number) - from + m) % m) + 1;
        for (let n2 = 0; n2 < this.k; n2++) {
          const e = this.neighbours[d * this.k + n2] as number;
          const g2 = open - this.dist(d, e);
          if (g2 <= epsilon) break;
          if (e === a || e === b || e === c) continue;
          const flipped = ((this.pos[e] as number) - from + m) % m < span;
          const f = flipped === forward ? this.succ(e) : this.pred(e);
          if (f === d) continue;
          const deeper = g2 + this.dist(e, f) - this.dist(f, b);
          if (deeper > epsilon) {
            this.flip(a, b, c, d);
            this.flip(d, b, e, f);
            this.cost -= deeper;
            this.push(b);
            this.push(c);
            this.push(d);
            this.push(e);
            this.push(f);
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The 2-opt move that trades the tour edges (p, q) and (r, s) for (p, r) and (q, s), whichever way the array reads them. */
  private flip(p: number, q: number, r: number, s: number): void {
    if (this.succ(p) === q) this.reverse(this.pos[q] as number, this.pos[r] as number);
    else this.reverse(this.pos[p] as number, this.pos[s] as number);
  }

  /** Moves a segment of 1–3 nodes that starts or ends at `a` next to one of its neighbours. */
  private orOpt(a: number): boolean {
    const m = this.m;
    for (let length = 1; length <= 3 && length + 3 <= m; length++) {
      for (let side = 0; side < (length === 1 ? 1 : 2); side++) {
        let s1 = a;
        let s2 = a;
        for (let step = 1; step < length; step++) {
          if (side === 0) s2 = this.succ(s2);
          else s1 = this.pred(s1);
        }
        const p = this.pred(s1);
        const next = this.succ(s2);
        const removeGain = this.dist(p, s1) + this.dist(s2, next) - this.dist(p, next);
        if (removeGain <= epsilon) continue;
        const first = this.pos[s1] as number;
        for (let end = 0; end < 2; end++) {
          const e = end === 0 ? s1 : s2;
          for (let n = 0; n < this.k; n++) {
            const c = this.neighbours[e * this.k + n] as number;
            if (this.dist(e, c) >= removeGain - epsilon) break;
            if (this.inSegment(c, first, length)) continue;
            for (let around = 0; around < 2; around++) {
              const x = around === 0 ? c : this.pred(c);
              const y = around === 0 ? this.succ(c) : c;
              if (this.inSegment(x, first, length) || this.inSegment(y, first, length)) continue;
              const xy = this.dist(x, y);
              const addForward = this.dist(x, s1) + this.dist(s2, y) - xy;
              const addReversed = this.dist(x, s2) + this.dist(s1, y) - xy;
              const reversed = addReversed < addForward;
              const gain = removeGain - (reversed ? addReversed : addForward);
              if (gain > epsilon) {
                this.moveSegment(first, length, next, x, y, reversed);
                this.cost -= gain;
                for (const node of [p, next, s1, s2, x, y]) this.push(node);
                return true;
              }
            }
          }
        }
      }
    }
    return false;
  }

  private inSegment(node: number, first: number, length: number): boolean {
    return ((this.pos[node] as number) - first + this.m) % this.m < length;
  }

  /**
   * Puts the segment (`length` nodes from position `first`) between x and y. Going forward
   * the cycle reads segment, next … x, y … back to the segment; the segment trades places
   * with whichever of those two stretches is shorter.
   */
  private moveSegment(first: number, length: number, next: number, x: number, y: number, reversed: boolean): void {
    const m = this.m;
    const toX = (((this.pos[x] as number) - (this.pos[next] as number) + m) % m) + 1;
    const fromY = m - length - toX;
    if (toX <= fromY) this.swapBlocks(first, length, toX, reversed, false);
    else this.swapBlocks(this.pos[y] as number, fromY, length, false, reversed);
  }

  /**
   * The kick: swaps two short adjacent segments (A B C D → A C B D), which 2-opt and Or-opt
   * cannot undo in one move. Short segments keep the kick local so that the repair is cheap.
   */
  doubleBridge(): void {
    const m = this.m;
    const longest = Math.max(1, Math.min(30, Math.floor(m / 4)));
    const lengthB = 1 + randomBelow(this.random, longest);
    const lengthC = 1 + randomBelow(this.random, longest);
    const i = randomBelow(this.random, m);
    const at = (offset: number) => this.tour[(i + offset) % m] as number;
    const aEnd = at(0);
    const b0 = at(1);
    const bEnd = at(lengthB);
    const c0 = at(lengthB + 1);
    const cEnd = at(lengthB + lengthC);
    const d0 = at(lengthB + lengthC + 1);
    const delta =
      this.dist(aEnd, c0) + this.dist(cEnd, b0) + this.dist(bEnd, d0) -
      this.dist(aEnd, b0) - this.dist(bEnd, c0) - this.dist(cEnd, d0);
    this.swapBlocks((i + 1) % m, lengthB, lengthC, false, false);
    this.cost += delta;
    for (const node of [aEnd, b0, bEnd, c0, cEnd, d0]) this.push(node);
  }
}

/**
 * Each node's `k` nearest others, nearest first (ties to the lower index). A sorted top-k is
 * kept while scanning each row, O(m²) in all rather than a sort of every row; a row between
 * deadline checks. Null when the deadline passed first.
 */
export function nearestNeighbourLists(costs: TourCosts, k: number, deadline: Deadline): Int32Array | null {
  const m = costs.m;
  const lists = new Int32Array(m * k);
  const nearest = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    if (deadline.passed()) return null;
    const list = i * k;
    let filled = 0;
    for (let j = 0; j < m; j++) {
      if (j === i) continue;
      const dj = costs.dist(i, j);
      if (filled === k && dj >= (nearest[k - 1] as number)) continue;
      let p = filled < k ? filled++ : k - 1;
      while (p > 0 && (nearest[p - 1] as number) > dj) {
        nearest[p] = nearest[p - 1] as number;
        lists[list + p] = lists[list + p - 1] as number;
        p--;
      }
      nearest[p] = dj;
      lists[list + p] = j;
    }
  }
  return lists;
}

/** Every tour through node 0, for the handful of nodes where search would be silly. */
export function exhaustiveTour(costs: TourCosts): TourResult {
  const m = costs.m;
  const rest = Array.from({ length: Math.max(0, m - 1) }, (_, i) => i + 1);
  let best = Int32Array.from([0, ...rest]);
  let bestCost = cycleCost(costs, best);
  const permute = (prefix: number[], remaining: number[]) => {
    if (remaining.length === 0) {
      const candidate = Int32Array.from([0, ...prefix]);
      const c = cycleCost(costs, candidate);
      if (c < bestCost - epsilon) {
        bestCost = c;
        best = candidate;
      }
      return;
    }
    remaining.forEach((node, i) => permute([...prefix, node], remaining.filter((_, j) => j !== i)));
  };
  if (m > 1) permute([], rest);
  return { tour: best, cost: bestCost, iterations: 0 };
}
