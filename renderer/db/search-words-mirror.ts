import { cmp, type DBCore, type DBCoreKeyRange, type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreTable, type DBCoreTransaction, type Middleware } from 'dexie';
import type { ReclaimDatabase } from './schema';
import { SearchWordsIndex } from './search-words-index';
import { searchPrefixes } from './search-words';

/** One committed write to the jobs table, as far as the words are concerned. */
type WordsChange =
  | { kind: 'set'; id: string; words: readonly string[] }
  | { kind: 'remove'; id: string }
  | { kind: 'removeRange'; range: DBCoreKeyRange };

/** Jobs read per request while loading: the page stays responsive between slices. */
const LOAD_SLICE = 1000;
/**
 * Merging changed jobs into the sorted words is one pass over every entry (about 200,000 at
 * 10,000 jobs, tens of milliseconds), so it waits until writes pause this long: a first sync's
 * pages are merged once at the end, not page by page.
 */
const COMPACT_WHEN_QUIET_MS = 5000;
/** Beyond this many changed jobs a search merges them first rather than check each one. */
const COMPACT_AT_SEARCH = 1000;

/** The strings a row keeps in `searchWords` (the words the search finds it by; only strings count). */
function indexedWords(row: unknown): readonly string[] {
  const words = typeof row === 'object' && row !== null && 'searchWords' in row ? row.searchWords : undefined;
  if (typeof words === 'string') return [words];
  return Array.isArray(words) ? words.filter((word): word is string => typeof word === 'string') : [];
}

function rowId(row: unknown, fallback: unknown): string | null {
  const id = typeof row === 'object' && row !== null && 'id' in row ? row.id : fallback;
  return typeof id === 'string' ? id : null;
}

function inRange(key: string, range: DBCoreKeyRange): boolean {
  const low = cmp(key, range.lower);
  const high = cmp(key, range.upper);
  return (range.lowerOpen ? low > 0 : low >= 0) && (range.upperOpen ? high < 0 : high <= 0);
}

/** The words changes one successful request makes; the ones that failed wrote nothing. */
function changesOf(request: DBCoreMutateRequest, response: DBCoreMutateResponse): WordsChange[] {
  switch (request.type) {
    case 'add':
    case 'put':
      return request.values.flatMap((row: unknown, index) => {
        const id = rowId(row, response.results?.[index] ?? request.keys?.[index]);
        return id === null || index in response.failures ? [] : [{ kind: 'set' as const, id, words: indexedWords(row) }];
      });
    case 'delete':
      return request.keys.flatMap((key: unknown, index) => (typeof key === 'string' && !(index in response.failures) ? [{ kind: 'remove' as const, id: key }] : []));
    case 'deleteRange':
      return [{ kind: 'removeRange', range: request.range }];
  }
}

function isEventTarget(transaction: DBCoreTransaction): transaction is DBCoreTransaction & EventTarget {
  return 'addEventListener' in transaction && typeof transaction.addEventListener === 'function';
}

/**
 * The jobs' search words held in memory (SearchWordsIndex) and kept equal to the jobs table, so
 * the job list's search answers in the same frame as the key press. It is loaded once from the
 * table (`start`), then follows every write to the jobs table made through this database: a
 * Dexie middleware notes what each write request did and applies it when its transaction
 * commits (an aborted one changes nothing). Writes that commit while it loads are replayed on
 * top of what it read, in commit order; since each is "this job now has these words" or "this
 * job is gone", replaying one the read already saw changes nothing.
 *
 * Another window on the same database (a second browser tab) writes past this middleware; it
 * says so on a BroadcastChannel and this one loads again.
 */
export class SearchWordsMirror {
  private readonly index = new SearchWordsIndex();
  private state: 'off' | 'loading' | 'ready' = 'off';
  /** Commits seen while loading, in commit order. */
  private queued: WordsChange[] = [];
  private readonly pending = new WeakMap<DBCoreTransaction, WordsChange[]>();
  private loads = 0;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private compactTimer: ReturnType<typeof setTimeout> | undefined;
  private channel: BroadcastChannel | null = null;

  constructor(private readonly db: ReclaimDatabase) {}

  /** Put it into the database with `db.use(mirror.middleware)`, before the database opens. */
  readonly middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'search-words-mirror',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return name === 'jobs' ? { ...table, mutate: (request) => this.watch(table, request) } : table;
      },
    }),
  };

  /** Loads the words from the table unless that is done or under way; later writes follow by themselves. */
  start(): void {
    if (this.state !== 'off') return;
    if (typeof BroadcastChannel !== 'undefined' && this.channel === null) {
      this.channel = new BroadcastChannel(`reclaim-search-words:${this.db.name}`);
      this.channel.onmessage = () => this.reload();
    }
    this.reload();
  }

  /** Stops following the table and forgets the words (a test's database is going away). */
  stop(): void {
    this.state = 'off';
    this.loads += 1;
    this.queued = [];
    this.index.clear();
    clearTimeout(this.compactTimer);
    this.channel?.close();
    this.channel = null;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Resolves once the mirror answers searches (start() it first). */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe(() => {
        if (!this.ready) return;
        unsubscribe();
        resolve();
      });
    });
  }

  /** Changes each time the words change or the mirror becomes ready: for useSyncExternalStore. */
  readonly getVersion = (): number => this.version;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * The ids of jobs with a word starting with every word typed, as a scan of the rows would answer
   * (idsMatching in job-list-query); null when nothing is typed, undefined until ready.
   */
  idsMatching(search: string): Set<string> | null | undefined {
    const prefixes = searchPrefixes(search);
    if (prefixes.length === 0) return null;
    if (!this.ready) return undefined;
    if (this.index.changedCount > COMPACT_AT_SEARCH) this.compact();
    return this.index.idsMatching(prefixes);
  }

  /** Merges the jobs changed since the last merge into the sorted words (also done when writes pause). */
  compact(): void {
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    this.index.compact();
  }

  private reload(): void {
    const load = (this.loads += 1);
    this.state = 'loading';
    this.queued = [];
    void this.readAll(load).then(
      (entries) => {
        if (load !== this.loads) return;
        this.index.replaceAll(entries);
        this.apply(this.queued);
        this.queued = [];
        this.state = 'ready';
        this.changed();
      },
      (error: unknown) => {
        if (load !== this.loads) return;
        this.state = 'off';
        console.error('The job search could not read this device’s jobs.', error);
      },
    );
  }

  private async readAll(load: number): Promise<[string, readonly string[]][]> {
    const entries: [string, readonly string[]][] = [];
    let after: string | undefined;
    while (load === this.loads) {
      const { jobs } = this.db;
      const rows = await (after === undefined ? jobs.toCollection() : jobs.where(':id').above(after)).limit(LOAD_SLICE).toArray();
      for (const row of rows) entries.push([row.id, indexedWords(row)]);
      if (rows.length < LOAD_SLICE) break;
      after = rows.at(-1)?.id;
    }
    return entries;
  }

  private async watch(table: DBCoreTable, request: DBCoreMutateRequest): Promise<DBCoreMutateResponse> {
    const pending = this.pendingOf(request.trans);
    const response = await table.mutate(request);
    const changes = changesOf(request, response);
    if (pending) pending.push(...changes);
    else this.committed(changes);
    return response;
  }

  /** The changes waiting for this transaction to commit; null when its commit cannot be seen. */
  private pendingOf(transaction: DBCoreTransaction): WordsChange[] | null {
    const known = this.pending.get(transaction);
    if (known) return known;
    if (!isEventTarget(transaction)) return null;
    const pending: WordsChange[] = [];
    this.pending.set(transaction, pending);
    transaction.addEventListener('complete', () => this.committed(pending));
    return pending;
  }

  private committed(changes: readonly WordsChange[]): void {
    if (changes.length === 0 || this.state === 'off') return;
    if (this.state === 'loading') {
      this.queued.push(...changes);
      return;
    }
    if (!this.apply(changes)) return;
    this.changed();
    this.channel?.postMessage('changed');
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => this.compact(), COMPACT_WHEN_QUIET_MS);
  }

  /** True when some job's words changed. */
  private apply(changes: readonly WordsChange[]): boolean {
    let any = false;
    for (const change of changes) {
      if (change.kind === 'set') any = this.index.set(change.id, change.words) || any;
      else if (change.kind === 'remove') any = this.index.remove(change.id) || any;
      else for (const id of [...this.index.ids()]) if (inRange(id, change.range)) any = this.index.remove(id) || any;
    }
    return any;
  }

  private changed(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }
}
