import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './e2e/support/chromium.ts';

/**
 * End-to-end tests drive the browser shell (`npm start` without the Electron binary) against a
 * real sync server and PostgreSQL, in Debian's Chromium: Playwright's own browser download cannot
 * work on this machine kind (`e2e/install-chromium.sh` installs it; CHROMIUM_PATH overrides).
 * Screenshots of each main screen land in test-results/.
 */
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  outputDir: './test-results',
  // Each test starts its own database, sync server and desktops: two cores hold one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumExecutable, args: chromiumArgs },
  },
});
