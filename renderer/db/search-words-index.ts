import { matchesSearchPrefixes } from './search-words';

/** Every (word, job) entry of the words index, in the words' code-unit order, as two arrays. */
interface SortedWords {
  words: string[];
  owners: string[];
}

const noWords: SortedWords = { words: [], owners: [] };

/** `<` compares code units, as the default sort and IndexedDB do. */
function byWord(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** The entries of these jobs, sorted (a repeated word repeats an entry; a search counts each job once). */
function sortedEntries(wordsOf: ReadonlyMap<string, readonly string[]>, ids: Iterable<string>): [string, string][] {
  const entries: [string, string][] = [];
  for (const id of ids) {
    const words = wordsOf.get(id);
    if (words) for (const word of words) entries.push([word, id]);
  }
  return entries.sort(byWord);
}

/**
 * The sorted entries with the changed jobs' entries taken out and their current ones merged
 * in: one pass over the entries and a sort of the changed jobs' words alone, not of all.
 */
function merged(sorted: SortedWords, wordsOf: ReadonlyMap<string, readonly string[]>, changed: ReadonlySet<string>): SortedWords {
  const added = sortedEntries(wordsOf, changed);
  const words: string[] = [];
  const owners: string[] = [];
  let next = 0;
  for (let entry = 0; entry < sorted.words.length; entry += 1) {
    const id = sorted.owners[entry] ?? '';
    if (changed.has(id)) continue;
    const word = sorted.words[entry] ?? '';
    for (let item = added[next]; item !== undefined && item[0] < word; item = added[++next]) {
      words.push(item[0]);
      owners.push(item[1]);
    }
    words.push(word);
    owners.push(id);
  }
  for (const [word, id] of added.slice(next)) {
    words.push(word);
    owners.push(id);
  }
  return { words, owners };
}

/** The first index in [low, high) where `after` holds; it must hold for a tail of the range. */
function firstWhere(low: number, high: number, after: (index: number) => boolean): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The run of entries whose word starts with `prefix`, as [from, to). */
function wordRun({ words }: SortedWords, prefix: string): [number, number] {
  const from = firstWhere(0, words.length, (index) => (words[index] ?? '') >= prefix);
  // Past `from`, the words that start with the prefix come first.
  return [from, firstWhere(from, words.length, (index) => !(words[index] ?? '').startsWith(prefix))];
}

/**
 * The jobs' search words held in memory, so that a prefix of any length is two binary searches
 * in a sorted array instead of an IndexedDB range read: "r" matches every serial of 10,000 jobs,
 * about 50,000 words-index entries, which IndexedDB took close to a second to hand over.
 *
 * Writes land in two layers, as in a log-structured index: a job whose words change is set
 * aside (`changed`) and looked at one by one, and `compact` merges those jobs back into the
 * sorted entries (one pass over them). The answer is the same in both layers, and the same as
 * a scan of the rows (idsMatching in job-list-query), which the tests hold it to.
 */
export class SearchWordsIndex {
  /** The truth: every job's words. */
  private readonly wordsOf = new Map<string, readonly string[]>();
  /** Jobs whose words in `sorted` may be out of date (changed, added or removed since). */
  private readonly changed = new Set<string>();
  private sorted: SortedWords = noWords;

  /** How many jobs wait to be folded into the sorted words. */
  get changedCount(): number {
    return this.changed.size;
  }

  /** Replaces everything with these jobs' words, sorted at once. */
  replaceAll(entries: Iterable<readonly [string, readonly string[]]>): void {
    this.wordsOf.clear();
    this.changed.clear();
    for (const [id, words] of entries) this.wordsOf.set(id, words);
    const sorted = sortedEntries(this.wordsOf, this.wordsOf.keys());
    this.sorted = { words: sorted.map(([word]) => word), owners: sorted.map(([, id]) => id) };
  }

  /** A job's words as the table now holds them; false when they were already so. */
  set(id: string, words: readonly string[]): boolean {
    const before = this.wordsOf.get(id);
    if (before && before.length === words.length && before.every((word, index) => word === words[index])) return false;
    this.wordsOf.set(id, words);
    this.changed.add(id);
    return true;
  }

  /** A job gone from the table; false when it was not here. */
  remove(id: string): boolean {
    if (!this.wordsOf.delete(id)) return false;
    this.changed.add(id);
    return true;
  }

  clear(): void {
    this.wordsOf.clear();
    this.changed.clear();
    this.sorted = noWords;
  }

  ids(): IterableIterator<string> {
    return this.wordsOf.keys();
  }

  /** Merges the changed jobs into the sorted entries. */
  compact(): void {
    if (this.changed.size === 0) return;
    this.sorted = merged(this.sorted, this.wordsOf, this.changed);
    this.changed.clear();
  }

  /**
   * The ids of jobs with a word starting with every prefix; null when there is none (nothing
   * typed). The prefix with the fewest entries is looked up, the others checked on its jobs.
   */
  idsMatching(prefixes: readonly string[]): Set<string> | null {
    if (prefixes.length === 0) return null;
    const runs = prefixes.map((prefix) => ({ prefix, run: wordRun(this.sorted, prefix) }));
    const { owners } = this.sorted;
    const entries = ({ run: [from, to] }: { run: [number, number] }) => to - from;
    const narrowest = runs.reduce((best, candidate) => (entries(candidate) < entries(best) ? candidate : best));
    const others = prefixes.filter((prefix) => prefix !== narrowest.prefix);
    const keep = (id: string) => others.length === 0 || matchesSearchPrefixes(this.wordsOf.get(id) ?? [], others);

    const found = new Set<string>();
    const [from, to] = narrowest.run;
    const { changed } = this;
    for (let entry = from; entry < to; entry += 1) {
      const id = owners[entry] ?? '';
      if (!changed.has(id) && !found.has(id) && keep(id)) found.add(id);
    }
    for (const id of changed) {
      const words = this.wordsOf.get(id);
      if (words && words.some((word) => word.startsWith(narrowest.prefix)) && keep(id)) found.add(id);
    }
    return found;
  }
}
