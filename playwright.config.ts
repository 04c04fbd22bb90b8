import { defineConfig } from '@playwright/test';

// End to end: the built renderer in Debian's Chromium, served by two web hosts against a private Prosody
// (test/e2e/fixtures.ts starts and stops them). No webServer entry and no browser download (STACK.md).
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  // One retry: a real-server e2e can lose a race on a loaded machine; a flaky pass is reported as flaky.
  retries: 1,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    viewport: { width: 1100, height: 700 },
    actionTimeout: 20_000,
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
