import { defineConfig } from '@playwright/test';

/**
 * `npm run screenshots`: the README's pictures, taken from the same server and Chromium set-up as
 * the E2E suite, so they show the screens as they are. Kept out of the suite (its own file
 * suffix) because it writes into docs/screenshots.
 */
export default defineConfig({
  testDir: '.',
  testMatch: 'readme-screenshots.shots.ts',
  outputDir: '../.artifacts/screenshots',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  projects: [{ name: 'chromium' }],
});
