import { defineConfig } from 'vitest/config';

// Browser tests: the real server (`npm start`'s script, test-scale data) in a child process, Debian's Chromium driven by
// playwright-core. On PostgreSQL when DATABASE_URL is set, else on the embedded engine.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
  },
});
