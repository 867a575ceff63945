/**
 * The job list at volume, in Chromium, in the real app: one agent with 2,000 and then 10,000 jobs
 * of 5 items each, on a fresh real server (SQLite, in-process) each time, serving the built
 * renderer (dist/renderer; `npm run bench` builds it first, alone run `npm run build:renderer`
 * before `npx tsx tests/bench/job-list.bench.ts`).
 *
 * First sync, side by side with its floor: the same pull pages (same page size, same cursor walk)
 * fetched and parsed by a bare loop in the same Chromium page (median of three walks), and a bare
 * sign-in (the login fetched in the page); then the app from the click on "Sign in" to "Synced"
 * with every job listed, timed inside the page like the floor (Playwright's view of the same span,
 * which adds its click and its 50 ms polling, is printed beside it). The ratios app / bare pull and
 * app / (bare sign-in + bare pull) are printed.
 *
 * Then each search and filter change is timed inside the page:
 *   - start: performance.now() just before the `input` (search box) or `change` (select) event is
 *     dispatched, so React's handling of the event itself is counted;
 *   - "list updated": a MutationObserver on the job list section sees the count line ("40 jobs",
 *     or "No jobs match this search.") reach the expected text;
 *   - "painted": the first task after the next animation frame that follows that DOM change,
 *     i.e. the frame showing the new list has been laid out and painted.
 * Playwright's round trip is outside both figures. Prints a table and writes
 * tests/bench/results/job-list.json; asserts nothing about time. Needs Chromium (RECLAIM_CHROMIUM,
 * else /usr/bin/chromium). BENCH_RUNS sets the repetitions per case (default 15); BENCH_JOBS the
 * sizes, comma-separated (default 2000,10000); BENCH_FIRST_SYNCS the first syncs per size (default
 * 3, each in a fresh browser profile beside a bare pull made just before it; the medians are
 * reported). BENCH_PROFILE=<dir> writes a Chromium CPU profile
 * of each first sync there (first-sync-<jobs>-<n>.cpuprofile; open it in Chrome's DevTools), best
 * read from an unminified build (`npx vite build --config renderer/vite.config.ts --minify false
 * --outDir <dir>`, then BENCH_APP_DIR=<dir>). BENCH_LATENCY_MS=<ms> adds that latency to every request the pages make, bare
 * walks and app alike (Chromium's network emulation), as a mobile connection in the field would.
 * BENCH_TRACE=<dir> writes a Chromium trace of each first sync there (first-sync-<jobs>-<n>.json;
 * open it in Perfetto or DevTools): the renderer's main thread event by event, IndexedDB's
 * requests and their structured clones; and one of each search or filter case's runs together
 * (case-<jobs>-<n>.json, n in the table's order; each timed run begins at an `input` or `change`
 * event). After the cases, the signed-in app is reopened (a reload) BENCH_REOPENS times (default
 * 5), each timed from the navigation to every job listed again: what a laptop that already holds
 * the jobs waits for its list. BENCH_CASE_RUNS=1 prints each case's runs one by one. BENCH_TIMELINE=1 prints what the sync indicator said
 * and when; BENCH_REQUESTS=1 prints every request the page made during the first sync, with when
 * it was sent and when its answer's headers came, in ms from the click: where the round trips
 * wait on each other, and where the page keeps the next request waiting.
 *
 * BENCH_BASELINE_APP_DIR=<dir> puts another build (e.g. the commit before a change, built with
 * `npx vite build --config renderer/vite.config.ts --outDir <dir>` in its checkout) beside the
 * measured one: a second server on the same data serves it, and each first sync run signs in
 * with both builds, one after the other, each in a fresh profile whose page first makes the same
 * three bare walks, the order swapped every run; each build's ratio to the bare pull and the
 * paired ratio (this build / baseline) are printed. Both builds the same should print about 1.
 * The baseline then signs in once more in a profile of its own, kept open beside this build's,
 * and takes each search and filter case in turn with it (after it, or before it every other
 * case); its table and the ratios are printed after this build's.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { APP_PULL_LIMIT } from '../../renderer/sync/engine';
import { matchesDue, type DueFilter } from '../../renderer/db/job-due';
import { startServer } from '../../server/main';
import { BENCH_AGENT, ITEMS_PER_JOB, seed, type SeededJob } from './agent-jobs-seed';
import { login } from './bench-http';
import { median } from './bench-stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** First syncs per size, each by a fresh browser profile beside a bare pull made just before it. */
const FIRST_SYNCS = Number(process.env.BENCH_FIRST_SYNCS ?? 3);
/** Reloads of the signed-in app per size (BENCH_REOPENS), each build's in turn. */
const REOPENS = Number(process.env.BENCH_REOPENS ?? 5);
const SIZES = (process.env.BENCH_JOBS ?? '2000,10000').split(',').map(Number);
/** Added to every request's round trip in the pages (Chromium's network emulation), as a field connection would. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);
/** BENCH_APP_DIR measures another build (e.g. a copy of the one before a change) side by side. */
const appDir = resolve(process.env.BENCH_APP_DIR ?? 'dist/renderer');
const baselineAppDir = process.env.BENCH_BASELINE_APP_DIR ? resolve(process.env.BENCH_BASELINE_APP_DIR) : null;

function countText(count: number): string {
  return count === 0 ? 'No jobs match this search.' : `${count} job${count === 1 ? '' : 's'}`;
}

/** The count line as compared: digit grouping ("10,000 jobs") is the app's to choose. */
function plainCount(text: string): string {
  return text.replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1');
}

interface Control {
  /** The element the agent changes. */
  selector: '#job-search' | '#job-status-filter' | '#job-due-filter';
  value: string;
  /** The count line once the list has caught up. */
  expected: string;
}

interface Timing {
  listMs: number;
  paintedMs: number;
}

interface TypingTiming {
  /** Each key, to the next painted frame: does the search box keep up with the fingers? */
  keyPaintedMs: number[];
  /** The last key, to the list showing the result. */
  last: Timing;
}

/**
 * Sets one control the way the browser does when the agent types or picks (native value setter,
 * then the event React listens to) and times it inside the page; see the file comment.
 */
async function timeChange(page: Page, control: Control): Promise<Timing> {
  return page.evaluate(
    ({ selector, value, expected }) =>
      new Promise<Timing>((resolveTiming, rejectTiming) => {
        const element = document.querySelector(selector);
        const section = document.querySelector('.workspace-list');
        if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement) || !section) {
          rejectTiming(new Error(`the job list or ${selector} is not on the page`));
          return;
        }
        const shown = () => ((section.querySelector('.list-count') ?? section.querySelector('.list-message'))?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1');
        if (shown() === expected && element.value === value) {
          rejectTiming(new Error(`${selector} is already ${value} and the list already shows "${expected}"`));
          return;
        }
        let started = 0;
        const timeout = setTimeout(() => {
          observer.disconnect();
          rejectTiming(new Error(`after ${selector} = "${value}" the list showed "${shown()}", not "${expected}"`));
        }, 30_000);
        const observer = new MutationObserver(() => {
          if (shown() !== expected) return;
          const listMs = performance.now() - started;
          observer.disconnect();
          clearTimeout(timeout);
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolveTiming({ listMs, paintedMs: performance.now() - started });
            channel.port2.postMessage(null);
          });
        });
        observer.observe(section, { subtree: true, childList: true, characterData: true });
        const prototype = element instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLSelectElement.prototype;
        const setValue = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
        started = performance.now();
        setValue?.call(element, value);
        element.dispatchEvent(new Event(element instanceof HTMLInputElement ? 'input' : 'change', { bubbles: true }));
      }),
    control,
  );
}

/**
 * Types a word one key at a time, `gapMs` apart like a quick typist, each key an `input` event;
 * the last key must change the count line, or its result cannot be told from the one before.
 * Returns each key's time to the next painted frame and the last key's time to the result.
 */
async function timeTyping(page: Page, word: string, gapMs: number, expected: string): Promise<TypingTiming> {
  return page.evaluate(
    ({ word, gapMs, expected }) =>
      new Promise<TypingTiming>((resolveTiming, rejectTiming) => {
        const input = document.querySelector('#job-search');
        const section = document.querySelector('.workspace-list');
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        if (!(input instanceof HTMLInputElement) || !section || !setValue) {
          rejectTiming(new Error('the job search box is not on the page'));
          return;
        }
        const shown = () => ((section.querySelector('.list-count') ?? section.querySelector('.list-message'))?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1');
        const keyPaintedMs: number[] = [];
        let lastKeyAt = 0;
        let last: Timing | null = null;
        const finish = () => {
          if (!last || keyPaintedMs.length < word.length) return;
          clearTimeout(timeout);
          resolveTiming({ keyPaintedMs, last });
        };
        const observer = new MutationObserver(() => {
          if (lastKeyAt === 0 || shown() !== expected) return;
          const listMs = performance.now() - lastKeyAt;
          observer.disconnect();
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              last = { listMs, paintedMs: performance.now() - lastKeyAt };
              finish();
            };
            channel.port2.postMessage(null);
          });
        });
        observer.observe(section, { subtree: true, childList: true, characterData: true });
        const timeout = setTimeout(() => {
          observer.disconnect();
          rejectTiming(new Error(`after typing "${word}" the list showed "${shown()}", not "${expected}"`));
        }, 30_000 + word.length * gapMs);
        for (let typed = 1; typed <= word.length; typed += 1) {
          setTimeout(() => {
            const at = performance.now();
            if (typed === word.length) lastKeyAt = at;
            setValue.call(input, word.slice(0, typed));
            input.dispatchEvent(new Event('input', { bubbles: true }));
            requestAnimationFrame(() => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => {
                keyPaintedMs.push(performance.now() - at);
                finish();
              };
              channel.port2.postMessage(null);
            });
          }, (typed - 1) * gapMs);
        }
      }),
    { word, gapMs, expected },
  );
}

/** Sets a control as the agent would, untimed, when it does not hold that value yet. */
async function setControl(page: Page, control: Control): Promise<void> {
  await page.evaluate(({ selector, value }) => {
    const element = document.querySelector(selector);
    if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) throw new Error(`${selector} is not on the page`);
    if (element.value === value) return;
    const prototype = element instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLSelectElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(element, value);
    element.dispatchEvent(new Event(element instanceof HTMLInputElement ? 'input' : 'change', { bubbles: true }));
  }, control);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

interface Figure {
  case: string;
  runs: number;
  listMedianMs: number;
  listP95Ms: number;
  paintedMedianMs: number;
  paintedP95Ms: number;
}

function figure(name: string, timings: readonly Timing[]): Figure {
  const list = timings.map((timing) => timing.listMs).sort((a, b) => a - b);
  const painted = timings.map((timing) => timing.paintedMs).sort((a, b) => a - b);
  const round = (ms: number) => Number(ms.toFixed(1));
  return {
    case: name,
    runs: timings.length,
    listMedianMs: round(percentile(list, 50)),
    listP95Ms: round(percentile(list, 95)),
    paintedMedianMs: round(percentile(painted, 50)),
    paintedP95Ms: round(percentile(painted, 95)),
  };
}

/** The newest modification time of any file under these folders. */
function newestChange(folders: readonly string[]): number {
  let newest = 0;
  for (const folder of folders) {
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** One first sync, and the bare pull of the same pages made just before it in the same page. */
interface FirstSyncRun {
  /** Median of three bare walks of the pull pages: fetch + JSON parse, nothing stored. */
  barePullMs: number;
  /**
   * From the click on "Sign in" to "Synced" with every job listed, inside the page: the click
   * event's time and the first DOM change that shows both, as a MutationObserver sees them.
   */
  appMs: number;
  /** The same span in Playwright's view: its click and its polling (every 50 ms) add to it. */
  appOuterMs: number;
  /** appMs / barePullMs. */
  ratio: number;
  /** The baseline build's first sync in the same run (BENCH_BASELINE_APP_DIR), beside the same bare pull. */
  baselineAppMs?: number;
}

interface FirstSync {
  jobs: number;
  items: number;
  pages: number;
  changes: number;
  /** Each first sync beside its bare pull (BENCH_FIRST_SYNCS of them, each in a fresh profile). */
  runs: FirstSyncRun[];
  /** Medians over the runs; the ratio is the median of each run's own ratio. */
  barePullMs: number;
  appMs: number;
  appOuterMs: number;
  ratio: number;
  /** Median of three sign-ins fetched in the page (the server's password check and the token). */
  bareSignInMs: number;
  /** appMs / (bareSignInMs + barePullMs): the wait a fresh agent has against its floor. */
  ratioWithSignIn: number;
}

/** A sign-in as the app makes it, fetched in the page: the floor of the wait before a first pull. */
async function bareSignIn(page: Page, url: string, deviceId: string): Promise<number> {
  return page.evaluate(
    async ({ url, deviceId, username, password }) => {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password, deviceId }),
      });
      if (!response.ok) throw new Error(`bare sign-in: ${response.status} ${await response.text()}`);
      await response.json();
      return performance.now() - started;
    },
    { url, deviceId, ...BENCH_AGENT },
  );
}

interface NotedRequest {
  sentAt: number;
  /** When the answer's headers came (fetch resolved); null if it failed. */
  answeredAt: number | null;
  path: string;
}

/** Runs in the page before the app (BENCH_REQUESTS): notes every fetch into window.benchRequests. */
function noteRequests(): void {
  const noted: NotedRequest[] = [];
  const send = window.fetch.bind(window);
  Object.assign(window, { benchRequests: noted });
  window.fetch = async (input, init) => {
    const request: NotedRequest = { sentAt: performance.now(), answeredAt: null, path: new URL(input instanceof Request ? input.url : String(input), location.href).pathname };
    noted.push(request);
    const response = await send(input, init);
    request.answeredAt = performance.now();
    return response;
  };
}

/**
 * The floor: the app's own pull pages (same limit, same cursor walk) fetched and parsed in the
 * page with nothing stored. A throwaway device's session, so the app's later sign-in is fresh.
 */
async function barePull(page: Page, url: string, token: string): Promise<{ ms: number; pages: number; changes: number }> {
  return page.evaluate(
    async ({ url, token, header, version, limit }) => {
      const started = performance.now();
      let cursor = '0';
      let pages = 0;
      let changes = 0;
      for (;;) {
        const response = await fetch(`${url}/api/v1/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: { authorization: `Bearer ${token}`, [header]: String(version) } });
        if (!response.ok) throw new Error(`bare pull: ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { changes: unknown[]; cursor: string; hasMore: boolean };
        pages += 1;
        changes += body.changes.length;
        cursor = body.cursor;
        if (!body.hasMore) break;
      }
      return { ms: performance.now() - started, pages, changes };
    },
    { url, token, header: PROTOCOL_HEADER, version: PROTOCOL_VERSION, limit: APP_PULL_LIMIT },
  );
}

/**
 * Signs the bench agent in through the form of a fresh page and waits for the first sync to show
 * every job listed and "Synced". Timed inside the page, as the bare pull is: from the click on
 * "Sign in" to the first DOM change that shows both. What the sync indicator said and when
 * (BENCH_TIMELINE) and the requests made (BENCH_REQUESTS) say where the time went.
 */
async function firstSyncInTheApp(context: BrowserContext, page: Page, JOBS: number, run: number, measured = true): Promise<{ appMs: number; appOuterMs: number }> {
  await page.getByLabel('User name').fill(BENCH_AGENT.username);
  await page.getByLabel('Password').fill(BENCH_AGENT.password);
  await page.evaluate((expected) => {
    const timeline: [number, string][] = [];
    const started = performance.now();
    const span = { clickAt: null as number | null, doneAt: null as number | null };
    let last = '';
    document.addEventListener(
      'click',
      (event) => {
        if (span.clickAt === null && event.target instanceof Element && event.target.closest('button')?.textContent?.trim() === 'Sign in') span.clickAt = performance.now();
      },
      { capture: true },
    );
    const look = () => {
      const text = document.querySelector('[data-testid="sync-indicator"]')?.textContent ?? '(signing in)';
      if (text !== last) timeline.push([Math.round(performance.now() - started), (last = text)]);
      if (span.clickAt === null || span.doneAt !== null) return;
      const listed = (document.querySelector('.workspace-list .list-count')?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1') === expected;
      const synced = document.querySelector('[data-testid="sync-indicator"][data-state="synced"], [data-testid="sync-indicator"] .sync-phase.is-synced') !== null;
      if (listed && synced) span.doneAt = performance.now();
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    Object.assign(window, { benchTimeline: timeline, benchSpan: span });
  }, countText(JOBS));
  const profiler = process.env.BENCH_PROFILE && measured ? await context.newCDPSession(page) : null;
  if (profiler) {
    await profiler.send('Profiler.enable');
    await profiler.send('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.send('Profiler.start');
  }
  const tracing = process.env.BENCH_TRACE && measured ? context.browser() : null;
  if (tracing && process.env.BENCH_TRACE) {
    mkdirSync(process.env.BENCH_TRACE, { recursive: true });
    await tracing.startTracing(page, { path: join(process.env.BENCH_TRACE, `first-sync-${JOBS}-${run + 1}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink', 'IndexedDB', 'toplevel'] });
  }
  const started = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(
    (expected) => (document.querySelector('.workspace-list .list-count')?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1') === expected,
    countText(JOBS),
    { timeout: 600_000, polling: 50 },
  );
  // Only after a finished round with nothing left to send (the old indicator: .sync-phase.is-synced).
  await page.locator('[data-testid="sync-indicator"][data-state="synced"], [data-testid="sync-indicator"] .sync-phase.is-synced').waitFor({ timeout: 600_000 });
  const appOuterMs = Math.round(performance.now() - started);
  if (profiler && process.env.BENCH_PROFILE) {
    const { profile } = await profiler.send('Profiler.stop');
    mkdirSync(process.env.BENCH_PROFILE, { recursive: true });
    writeFileSync(join(process.env.BENCH_PROFILE, `first-sync-${JOBS}-${run + 1}.cpuprofile`), JSON.stringify(profile));
    await profiler.detach();
  }
  if (tracing) await tracing.stopTracing();
  const timeline = await page.evaluate(() => (window as unknown as { benchTimeline: [number, string][] }).benchTimeline);
  const span = await page.evaluate(() => (window as unknown as { benchSpan: { clickAt: number | null; doneAt: number | null } }).benchSpan);
  if (span.clickAt === null || span.doneAt === null) throw new Error(`the page did not see the sign-in click or the synced list (${JSON.stringify(span)})`);
  if (process.env.BENCH_TIMELINE && measured) for (const [at, text] of timeline) console.log(`  ${String(at).padStart(7)} ms  ${text}`);
  if (process.env.BENCH_REQUESTS && measured) {
    const requests = await page.evaluate(() => (window as unknown as { benchRequests: NotedRequest[] }).benchRequests);
    const clickAt = span.clickAt;
    const since = (at: number) => String(Math.round(at - clickAt)).padStart(6);
    for (const request of requests.filter((noted) => noted.sentAt >= clickAt)) {
      console.log(`  ${since(request.sentAt)} → ${request.answeredAt === null ? '  failed' : since(request.answeredAt)} ms  ${request.path}`);
    }
    console.log(`  ${since(span.doneAt)} ms  every job listed, Synced`);
  }
  return { appMs: Math.round(span.doneAt - span.clickAt), appOuterMs };
}

/** Reloads of a signed-in page, in ms from the navigation to every job listed; the baseline build's in turn with them. */
interface Reopen {
  runs: number[];
  baselineRuns: number[];
}

/** Pages that already note, at each navigation, when every job is listed. */
const watchedForReopening = new WeakSet<Page>();

/**
 * Reloads a signed-in page that holds every job and times, inside the page, from the start of
 * the navigation (performance.now() counts from it) to the first DOM change that lists them all.
 */
async function reopenTheApp(page: Page, JOBS: number): Promise<number> {
  if (!watchedForReopening.has(page)) await page.addInitScript((expected) => {
    const look = () => {
      const shown = (document.querySelector('.workspace-list .list-count')?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1');
      if (shown === expected && !('benchListedAt' in window)) Object.assign(window, { benchListedAt: performance.now() });
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  }, countText(JOBS));
  watchedForReopening.add(page);
  await page.reload();
  const listedAt = await page.waitForFunction(() => ('benchListedAt' in window ? Number(window.benchListedAt) : null), undefined, { timeout: 120_000, polling: 50 });
  return Number(await listedAt.jsonValue());
}

async function benchSize(browser: Browser, JOBS: number): Promise<{ firstSync: FirstSync; figures: Figure[]; keyEcho: KeyEcho; reopen: Reopen }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'reclaim-bench-job-list-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true, appDir, logger: false });
  const baselineServer = baselineAppDir ? await startServer({ port: 0, host: '127.0.0.1', dataDir, demo: true, appDir: baselineAppDir, logger: false }) : null;
  let context: BrowserContext | null = null;
  try {
    const today = new Date();
    const started = performance.now();
    const jobs = await seed(server.url, today, JOBS);
    console.log(`\n[${JOBS} jobs] setup: ${JOBS} jobs × ${ITEMS_PER_JOB} items for one agent (${Math.round(performance.now() - started)} ms, not measured)`);

    const bareToken = (await login(server.url, BENCH_AGENT.username, BENCH_AGENT.password, 'bench-bare-pull')).token;
    const runs: FirstSyncRun[] = [];
    let bareSignInMs = 0;
    let pages = 0;
    let changes = 0;
    let page: Page | null = null;
    /** A fresh profile: an empty IndexedDB, as a new laptop has. */
    const freshPage = async (at: string): Promise<{ context: BrowserContext; page: Page }> => {
      const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      // tsx compiles with esbuild's keepNames, which wraps the functions the page is sent in __name().
      await fresh.addInitScript('globalThis.__name = (target) => target;');
      if (process.env.BENCH_REQUESTS) await fresh.addInitScript(noteRequests);
      const opened = await fresh.newPage();
      if (LATENCY_MS > 0) {
        // Every request of the page, the bare walks' as well as the app's, waits this long for its answer.
        const network = await fresh.newCDPSession(opened);
        await network.send('Network.enable');
        await network.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: -1, uploadThroughput: -1 });
      }
      await opened.goto(`${at}/`);
      return { context: fresh, page: opened };
    };
    /** The baseline build's first sync, in a fresh profile of its own, served by its own server on the same data. */
    const baselineFirstSync = async (run: number): Promise<number | undefined> => {
      if (!baselineServer) return undefined;
      const baseline = await freshPage(baselineServer.url);
      try {
        // The same walks the measured build's page makes first, so both pages are as warm.
        for (let walk = 0; walk < 3; walk += 1) await barePull(baseline.page, baselineServer.url, bareToken);
        return (await firstSyncInTheApp(baseline.context, baseline.page, JOBS, run, false)).appMs;
      } finally {
        await baseline.context.close();
      }
    };
    for (let run = 0; run < FIRST_SYNCS; run += 1) {
      // The last profile stays open, signed in, for the search and filter cases below.
      await context?.close();
      ({ context, page } = await freshPage(server.url));
      const walks = [];
      for (let walk = 0; walk < 3; walk += 1) walks.push(await barePull(page, server.url, bareToken));
      const bare = median(walks.map((walk) => walk.ms));
      ({ pages, changes } = walks[0] ?? { pages: 0, changes: 0 });
      console.log(`[${JOBS} jobs] bare pull in Chromium, ${pages} pages of ${APP_PULL_LIMIT} (${changes} changes), fetched and parsed: ${Math.round(bare)} ms (median of 3)`);
      if (run === 0) {
        const signIns = [];
        for (let attempt = 0; attempt < 3; attempt += 1) signIns.push(await bareSignIn(page, server.url, `bench-bare-sign-in-${attempt}`));
        bareSignInMs = Math.round(median(signIns));
        console.log(`[${JOBS} jobs] bare sign-in in Chromium (fetch of the login, median of 3): ${bareSignInMs} ms`);
      }
      // The baseline goes first every other run, so neither build always meets a warmer machine.
      const baselineFirst = run % 2 === 1;
      const before = baselineFirst ? await baselineFirstSync(run) : undefined;
      const { appMs, appOuterMs } = await firstSyncInTheApp(context, page, JOBS, run);
      const baselineAppMs = baselineFirst ? before : await baselineFirstSync(run);
      const ratio = Number((appMs / bare).toFixed(1));
      runs.push({ barePullMs: Math.round(bare), appMs, appOuterMs, ratio, ...(baselineAppMs === undefined ? {} : { baselineAppMs }) });
      console.log(
        `[${JOBS} jobs] first sync in the app, from "Sign in" to "Synced" with ${plainCount(countText(JOBS))} listed: ${appMs} ms in the page = ${ratio}× the bare pull (${appOuterMs} ms in Playwright's view)` +
          (baselineAppMs === undefined ? '' : `; baseline build ${baselineAppMs} ms = ${(baselineAppMs / bare).toFixed(1)}×, this build / baseline ${(appMs / baselineAppMs).toFixed(2)}`),
      );
    }
    if (!page) throw new Error('BENCH_FIRST_SYNCS must be at least 1');
    const barePullMs = Math.round(median(runs.map((run) => run.barePullMs)));
    const appMs = Math.round(median(runs.map((run) => run.appMs)));
    const firstSync: FirstSync = {
      jobs: JOBS,
      items: JOBS * ITEMS_PER_JOB,
      pages,
      changes,
      runs,
      barePullMs,
      appMs,
      appOuterMs: Math.round(median(runs.map((run) => run.appOuterMs))),
      ratio: Number(median(runs.map((run) => run.ratio)).toFixed(1)),
      bareSignInMs,
      ratioWithSignIn: Number((appMs / (barePullMs + bareSignInMs)).toFixed(1)),
    };
    console.log(
      `[${JOBS} jobs] first sync, median of ${runs.length}: ${firstSync.appMs} ms = ${firstSync.ratio}× the bare pull (runs: ${runs.map((run) => `${run.ratio}×`).join(', ')}), ` +
        `${firstSync.ratioWithSignIn}× the bare sign-in and pull`,
    );
    const paired = runs.flatMap((run) => (run.baselineAppMs === undefined ? [] : [{ baseline: run.baselineAppMs, bare: run.barePullMs, app: run.appMs }]));
    if (paired.length > 0) {
      console.log(
        `[${JOBS} jobs] baseline build (${baselineAppDir}), median of ${paired.length}: ${Math.round(median(paired.map((pair) => pair.baseline)))} ms = ` +
          `${median(paired.map((pair) => pair.baseline / pair.bare)).toFixed(1)}× the bare pull; this build / baseline, median of the runs: ${median(paired.map((pair) => pair.app / pair.baseline)).toFixed(2)} ` +
          `(runs ${paired.map((pair) => (pair.app / pair.baseline).toFixed(2)).join(', ')})`,
      );
    }

    const all: Control[] = [
      { selector: '#job-search', value: '', expected: countText(JOBS) },
      { selector: '#job-status-filter', value: 'all', expected: countText(JOBS) },
      { selector: '#job-due-filter', value: 'all', expected: countText(JOBS) },
    ];
    const count = (keep: (job: SeededJob) => boolean) => countText(jobs.filter(keep).length);
    const due = (filter: DueFilter) => (job: SeededJob) => matchesDue(job, filter, today);
    const search = (value: string, keep: (job: SeededJob) => boolean): Control => ({ selector: '#job-search', value, expected: count(keep) });
    const okafor = search('okaf', (job) => job.lastName === 'Okafor');
    const everyJob = JOBS.toLocaleString('en-US');
    const cases: { name: string; before: Control[]; change: Control }[] = [
      { name: 'search a customer name fragment "okaf"', before: all, change: okafor },
      { name: 'search a serial "RC01234-3"', before: all, change: search('RC01234-3', (job) => job.n === 1234) },
      { name: 'search an address fragment "wabash"', before: all, change: search('wabash', (job) => job.street === 'S Wabash Ave') },
      { name: 'search with no match "zzqx"', before: all, change: search('zzqx', () => false) },
      { name: `clear the search (back to ${everyJob} rows)`, before: [...all, okafor], change: all[0] as Control },
      { name: 'status filter: En route', before: all, change: { selector: '#job-status-filter', value: 'en_route', expected: count((job) => job.status === 'en_route') } },
      { name: 'status filter: Assigned (the biggest subset)', before: all, change: { selector: '#job-status-filter', value: 'assigned', expected: count((job) => job.status === 'assigned') } },
      { name: `status filter back to All (${everyJob} rows)`, before: [...all, { selector: '#job-status-filter', value: 'en_route', expected: count((job) => job.status === 'en_route') }], change: all[1] as Control },
      { name: 'due filter: Overdue', before: all, change: { selector: '#job-due-filter', value: 'overdue', expected: count(due('overdue')) } },
      { name: 'due filter: Due this week', before: all, change: { selector: '#job-due-filter', value: 'week', expected: count(due('week')) } },
      {
        name: 'due filter: Overdue, with status On site set',
        before: [...all, { selector: '#job-status-filter', value: 'on_site', expected: count((job) => job.status === 'on_site') }],
        change: { selector: '#job-due-filter', value: 'overdue', expected: count((job) => job.status === 'on_site' && due('overdue')(job)) },
      },
    ];

    /** Brings a page's list to a case's starting point; not timed. */
    const prepare = async (target: Page, controls: readonly Control[]) => {
      for (const control of controls) await setControl(target, control);
      await target.waitForFunction(
        (expected) => (document.querySelector('.workspace-list .list-count, .workspace-list .list-message')?.textContent ?? '').replace(/(\d)[,\u202f\u00a0.](?=\d{3})/g, '$1') === expected,
        controls.at(-1)?.expected ?? '',
      );
    };
    /** One case's runs on one page; the first run warms the JIT and IndexedDB's caches and is not counted. */
    const timeCase = async (target: Page, benchCase: { before: Control[]; change: Control }): Promise<Timing[]> => {
      const timings: Timing[] = [];
      for (let run = 0; run <= RUNS; run += 1) {
        await prepare(target, benchCase.before);
        const timing = await timeChange(target, benchCase.change);
        if (run > 0) timings.push(timing);
      }
      return timings;
    };
    // typing: a serial, so the last key changes the count (rc0123 → 10 jobs, rc01234 → 1).
    const typed = search('rc01234', (job) => job.n === 1234);
    const timeTypingRuns = async (target: Page): Promise<TypingTiming[]> => {
      const typing: TypingTiming[] = [];
      for (let run = 0; run <= RUNS; run += 1) {
        await prepare(target, all);
        const timing = await timeTyping(target, typed.value, 120, typed.expected);
        if (run > 0) typing.push(timing);
      }
      return typing;
    };
    const typingName = `typing "${typed.value}" key by key (120 ms apart): last key to result`;

    // With a baseline build, its own signed-in profile takes each case right after (or, every
    // other case, right before) this build's, so both meet the machine in the same state.
    const baseline = baselineServer ? await freshPage(baselineServer.url) : null;
    try {
      if (baseline) {
        await firstSyncInTheApp(baseline.context, baseline.page, JOBS, FIRST_SYNCS, false);
        const hidden = await Promise.all([page, baseline.page].map((target) => target.evaluate(() => document.visibilityState !== 'visible')));
        if (hidden.some(Boolean)) throw new Error('a page is hidden: its animation frames would be throttled and the figures meaningless');
      }
      const figures: Figure[] = [];
      const baselineFigures: Figure[] = [];
      for (const [caseIndex, benchCase] of cases.entries()) {
        const tracing = process.env.BENCH_TRACE ? browser : null;
        if (tracing && process.env.BENCH_TRACE) {
          await tracing.startTracing(page, { path: join(process.env.BENCH_TRACE, `case-${JOBS}-${caseIndex + 1}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.gc', 'blink', 'IndexedDB', 'toplevel'] });
        }
        const baselineFirst = baseline !== null && caseIndex % 2 === 1;
        const before = baselineFirst ? await timeCase(baseline.page, benchCase) : undefined;
        const timings = await timeCase(page, benchCase);
        if (tracing) await tracing.stopTracing();
        const baselineTimings = before ?? (baseline ? await timeCase(baseline.page, benchCase) : undefined);
        figures.push(figure(benchCase.name, timings));
        if (baselineTimings) baselineFigures.push(figure(benchCase.name, baselineTimings));
        if (process.env.BENCH_CASE_RUNS) console.log(`  ${benchCase.name}: list ms by run ${timings.map((timing) => timing.listMs.toFixed(1)).join(', ')}`);
      }

      const typing = await timeTypingRuns(page);
      figures.push(figure(typingName, typing.map((run) => run.last)));
      if (baseline) baselineFigures.push(figure(typingName, (await timeTypingRuns(baseline.page)).map((run) => run.last)));
      const keys = typing.flatMap((run) => run.keyPaintedMs).sort((a, b) => a - b);
      const keyEcho = { keys: keys.length, medianMs: Number(percentile(keys, 50).toFixed(1)), p95Ms: Number(percentile(keys, 95).toFixed(1)), worstMs: Number((keys.at(-1) ?? 0).toFixed(1)) };

      // Reopening the app: a reload of the signed-in page, to every job listed again.
      const reopen: Reopen = { runs: [], baselineRuns: [] };
      for (let run = 0; run < REOPENS; run += 1) {
        const baselineFirst = baseline !== null && run % 2 === 1;
        const before = baselineFirst ? await reopenTheApp(baseline.page, JOBS) : undefined;
        reopen.runs.push(await reopenTheApp(page, JOBS));
        const after = before ?? (baseline ? await reopenTheApp(baseline.page, JOBS) : undefined);
        if (after !== undefined) reopen.baselineRuns.push(after);
      }
      console.log(
        `[${JOBS} jobs] reopening the app (a reload, signed in) to ${plainCount(countText(JOBS))} listed: median ${Math.round(median(reopen.runs))} ms (runs ${reopen.runs.map(Math.round).join(', ')})` +
          (reopen.baselineRuns.length > 0 ? `; baseline build ${Math.round(median(reopen.baselineRuns))} ms (runs ${reopen.baselineRuns.map(Math.round).join(', ')})` : ''),
      );

      const width = Math.max(...figures.map((row) => row.case.length));
      console.log(`\n[${JOBS} jobs] Job list, ${JOBS} jobs / ${JOBS * ITEMS_PER_JOB} items, in Chromium; ms from the input/change event to the list showing the expected count ("list") and to the next painted frame ("painted"); ${RUNS} runs each after one warm-up`);
      console.log(`${'case'.padEnd(width)}  list p50  list p95  painted p50  painted p95`);
      for (const row of figures) {
        console.log(`${row.case.padEnd(width)}  ${String(row.listMedianMs).padStart(8)}  ${String(row.listP95Ms).padStart(8)}  ${String(row.paintedMedianMs).padStart(11)}  ${String(row.paintedP95Ms).padStart(11)}`);
      }
      console.log(`each key typed, to the next painted frame: median ${keyEcho.medianMs} ms, p95 ${keyEcho.p95Ms} ms, worst ${keyEcho.worstMs} ms over ${keyEcho.keys} keys`);
      const worstList = Math.max(...figures.map((row) => row.listP95Ms));
      const worst = Math.max(...figures.map((row) => row.paintedP95Ms));
      console.log(`[${JOBS} jobs] worst p95: ${worstList} ms to the list, ${worst} ms to a painted frame (target: 16 ms)`);
      if (baseline) {
        console.log(`\n[${JOBS} jobs] the same cases on the baseline build (${baselineAppDir}), taken in turn with this build's; this / baseline`);
        console.log(`${'case'.padEnd(width)}  list p50  list p95  painted p50  painted p95   (this / baseline)`);
        const ratio = (mine: number, theirs: number) => (theirs > 0 ? (mine / theirs).toFixed(2) : '-');
        figures.forEach((row, index) => {
          const other = baselineFigures[index];
          if (!other) return;
          console.log(
            `${row.case.padEnd(width)}  ${String(other.listMedianMs).padStart(8)}  ${String(other.listP95Ms).padStart(8)}  ${String(other.paintedMedianMs).padStart(11)}  ${String(other.paintedP95Ms).padStart(11)}   ` +
              `(${ratio(row.listMedianMs, other.listMedianMs)} ${ratio(row.listP95Ms, other.listP95Ms)} ${ratio(row.paintedMedianMs, other.paintedMedianMs)} ${ratio(row.paintedP95Ms, other.paintedP95Ms)})`,
          );
        });
        const baselineWorst = Math.max(...baselineFigures.map((row) => row.listP95Ms));
        const baselinePainted = Math.max(...baselineFigures.map((row) => row.paintedP95Ms));
        console.log(`[${JOBS} jobs] baseline worst p95: ${baselineWorst} ms to the list, ${baselinePainted} ms to a painted frame`);
      }
      return { firstSync, figures, keyEcho, reopen };
    } finally {
      await baseline?.context.close();
    }
  } finally {
    await context?.close();
    await baselineServer?.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface KeyEcho {
  keys: number;
  medianMs: number;
  p95Ms: number;
  worstMs: number;
}

async function main(): Promise<void> {
  if (!existsSync(join(appDir, 'index.html'))) {
    throw new Error('dist/renderer has no built app. Run `npm run build:renderer` first (`npm run bench` does).');
  }
  if (newestChange(['renderer', 'shared']) > statSync(join(appDir, 'index.html')).mtimeMs) {
    console.log('Warning: renderer/ or shared/ changed after dist/renderer was built; these figures are for the older build. Run `npm run build:renderer` to measure the current code.');
  }

  const browser = await chromium.launch({
    executablePath: process.env.RECLAIM_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const sizes = [];
    for (const jobs of SIZES) sizes.push(await benchSize(browser, jobs));

    console.log(`\nFirst sync in Chromium, beside the bare pull of the same pages (app / bare; medians of ${FIRST_SYNCS}, each run paired with its own bare pull):`);
    for (const { firstSync } of sizes) {
      console.log(
        `  ${String(firstSync.jobs).padStart(6)} jobs, ${String(firstSync.items).padStart(6)} items: app ${String(firstSync.appMs).padStart(7)} ms, bare pull ${String(firstSync.barePullMs).padStart(6)} ms, ${firstSync.ratio}×` +
          ` (runs ${firstSync.runs.map((run) => `${run.ratio}×`).join(', ')}; bare sign-in ${firstSync.bareSignInMs} ms; app / both ${firstSync.ratioWithSignIn}×; app in Playwright's view ${firstSync.appOuterMs} ms)`,
      );
    }
    const [smallest, largest] = [sizes[0]?.firstSync, sizes.at(-1)?.firstSync];
    if (smallest && largest && largest.jobs > smallest.jobs) {
      console.log(`  growth: ${(largest.appMs / smallest.appMs).toFixed(1)}× the time for ${(largest.jobs / smallest.jobs).toFixed(1)}× the jobs`);
    }

    mkdirSync('tests/bench/results', { recursive: true });
    writeFileSync(
      'tests/bench/results/job-list.json',
      `${JSON.stringify(
        {
          measuredAt: new Date().toISOString(),
          browser: `Chromium ${browser.version()}`,
          measured: 'firstSync: medians over runs, each in a fresh browser profile, of ms inside the page from the click on "Sign in" to the first DOM change showing "Synced" with every job listed (appOuterMs: the same in Playwright\'s view), beside the same pull pages fetched and parsed in the page and a login fetched in the page; figures: ms inside the page, from just before the input/change event is dispatched to (list) the job list count line showing the expected result, seen by a MutationObserver, and (painted) the first task after the next animation frame',
          sizes,
        },
        null,
        2,
      )}\n`,
    );
    console.log('Wrote tests/bench/results/job-list.json');
  } finally {
    await browser.close();
  }
}

await main();
