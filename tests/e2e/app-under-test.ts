import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { _electron, chromium, type Browser, type ElectronApplication } from 'playwright-core';
import { startServer, type RunningServer } from '../../server/main';
import { electronBinary } from '../../scripts/electron-binary';

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  return process.env.RECLAIM_CHROMIUM ?? '/usr/bin/chromium';
}

/**
 * A real sync server on a real SQLite file that a test can take down and bring back on the
 * same address, as when a laptop loses and regains its connection.
 */
export class ServerUnderTest {
  private running: RunningServer | null = null;
  private port = 0;

  constructor(readonly dataDir: string) {}

  get url(): string {
    if (this.port === 0) throw new Error('The server has not been started yet');
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.running = await startServer({
      port: this.port,
      host: '127.0.0.1',
      dataDir: this.dataDir,
      demo: true,
      appDir: path.resolve('dist/renderer'),
    });
    this.port = Number(new URL(this.running.url).port);
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  /** Calls the server's API the way another program would, as the given demo user. */
  async api<T>(username: string, pathname: string): Promise<T> {
    const login = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo1234' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${this.url}${pathname}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }
}

/** How to start the browser the app opens in; apps opened with the same switches share one browser. */
export interface OpenAppOptions {
  /** Extra Chromium command-line switches, such as a fake camera showing a video file. */
  readonly chromiumArgs?: readonly string[];
  /**
   * Keep the profile on disk in this folder (the caller's to remove), as an installed app does,
   * so a test can read what the browser wrote there once the app is closed (closeApp). Without
   * it a browser context keeps its caches in memory.
   */
  readonly profileDir?: string;
}

/** How each open app is closed, so closeApp can close one before the test ends. */
const closers = new WeakMap<Page, () => Promise<void>>();

/** Closes an app opened by openApp, as quitting it would: what it writes on the way out is on disk after. */
export async function closeApp(page: Page): Promise<void> {
  const close = closers.get(page);
  if (!close) throw new Error('closeApp: this page was not opened by openApp');
  closers.delete(page);
  await close();
}

/** Opens the app in a fresh profile: a new browser context, or a new Electron user-data folder. */
export type OpenApp = (profile: string, options?: OpenAppOptions) => Promise<Page>;

export const test = base.extend<{ server: ServerUnderTest; openApp: OpenApp }>({
  server: async ({}, use) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'reclaim-e2e-'));
    const server = new ServerUnderTest(dataDir);
    await server.start();
    await use(server);
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  },
  openApp: async ({ server }, use, testInfo) => {
    const cleanups: (() => Promise<void>)[] = [];
    const browsers = new Map<string, Browser>();
    const open: OpenApp = async (profile, options = {}) => {
      const extraArgs = options.chromiumArgs ?? [];
      if (testInfo.project.name === 'electron') {
        const binary = electronBinary();
        if (!binary) throw new Error("Electron's binary is not installed; `npm run test:electron` needs it");
        const userData = options.profileDir ?? (await mkdtemp(path.join(os.tmpdir(), `reclaim-electron-${profile}-`)));
        const app: ElectronApplication = await _electron.launch({
          executablePath: binary,
          args: ['.', `--server-url=${server.url}`, `--user-data-dir=${userData}`, ...extraArgs],
        });
        let closed = false;
        const close = async () => {
          if (closed) return;
          closed = true;
          await app.close();
        };
        cleanups.push(async () => {
          await close();
          if (!options.profileDir) await rm(userData, { recursive: true, force: true });
        });
        const window = await app.firstWindow();
        closers.set(window, close);
        return window;
      }
      if (options.profileDir) {
        const context = await chromium.launchPersistentContext(options.profileDir, { executablePath: chromiumPath(), args: [...chromiumFlags, ...extraArgs] });
        const page = context.pages()[0] ?? (await context.newPage());
        const close = () => context.close();
        closers.set(page, close);
        cleanups.push(close);
        await page.goto(`${server.url}/`);
        return page;
      }
      const key = extraArgs.join(' ');
      const browser = browsers.get(key) ?? (await chromium.launch({ executablePath: chromiumPath(), args: [...chromiumFlags, ...extraArgs] }));
      browsers.set(key, browser);
      const context = await browser.newContext();
      const close = () => context.close();
      cleanups.push(close);
      const page = await context.newPage();
      closers.set(page, close);
      await page.goto(`${server.url}/`);
      return page;
    };
    await use(open);
    for (const cleanup of cleanups.reverse()) await cleanup();
    for (const browser of browsers.values()) await browser.close();
  },
});

/** A demo agent as the office's API lists it. */
export async function demoAgent(server: ServerUnderTest, username: string): Promise<{ id: string; username: string }> {
  const { users } = await server.api<{ users: { id: string; username: string }[] }>('dispatcher1', '/api/v1/users?role=agent');
  const agent = users.find((user) => user.username === username);
  if (!agent) throw new Error(`the demo organisation has no agent ${username}`);
  return agent;
}

/**
 * Waits until the app's shell is cached for offline use: in a browser the service worker holds
 * it; Electron serves app:// from disk, so there is nothing to wait for.
 */
export async function shellCachedForOffline(page: Page): Promise<void> {
  if (page.url().startsWith('http')) await page.evaluate(async () => void (await navigator.serviceWorker.ready));
}

/** A signature-like scrawl across the named pad, with the mouse, as a person would sign. */
export async function signOnPad(page: Page, padName: string): Promise<void> {
  const pad = page.getByRole('img', { name: padName }).or(page.getByLabel(padName));
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error(`${padName} is not on screen`);
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 0; i <= 40; i += 1) {
    await page.mouse.move(box.x + 30 + i * 9, box.y + box.height / 2 + Math.sin(i / 2) * 40, { steps: 2 });
  }
  await page.mouse.up();
}

/** Matches an accessible name that contains this text, taken literally. */
export function named(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** Signs in on the sign-in screen as a demo user (every demo password is demo1234). */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill('demo1234');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Logs an arrival at the door. Outside 08:00–21:00 in the customer's time zone the app first
 * asks why (debt-collection contact hours); the test waits for either that question or the new
 * visit, so it passes at any hour of the day.
 */
export async function logArrival(page: Page, outcome: string): Promise<void> {
  const visits = page.getByRole('list', { name: 'Visits' }).getByRole('listitem');
  const before = await visits.count();
  await page.getByLabel('Who was contacted').fill('The customer');
  await page.getByLabel('Outcome').selectOption(outcome);
  await page.getByRole('button', { name: 'Log arrival' }).click();
  const warning = page.getByLabel('Reason for contacting now');
  await expect(warning.or(visits.nth(before))).toBeVisible();
  if (await warning.isVisible()) {
    await warning.fill('The customer asked for an evening visit.');
    await page.getByRole('button', { name: 'Log arrival anyway' }).click();
  }
  await expect(visits).toHaveCount(before + 1);
}

export { expect };
