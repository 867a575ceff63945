import { defineConfig } from '@playwright/test';

/**
 * The same specs run against the renderer in Chromium (the browser side of the platform
 * bridge; Debian's /usr/bin/chromium unless RECLAIM_CHROMIUM says otherwise) and against the
 * real Electron app where its binary is installed (`npm run test:electron`).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../.artifacts/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [{ name: 'chromium' }, { name: 'electron' }],
});
